import { STAGE_CHECK, type CheckKind, type ClipSource, type ClipState, type StageName } from '@provenant/shared';
import { SIGNING_STAGE, type FrameNeed, type PipelineStage, type StageClip } from './pipeline-stage';

/** The phases a clip walks through, per source: up to review, and from approval to release. */
const ROUTES: Record<ClipSource, readonly ClipState[]> = {
  prompt: ['SUBMITTED', 'PROMPT_CHECK', 'GENERATING', 'ANALYZING', 'AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED'],
  upload: ['SUBMITTED', 'ANALYZING', 'AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED'],
};

/** Where the pipeline stops by itself: a human decides in review; a release is final. */
const STOPS: readonly ClipState[] = ['AWAITING_REVIEW', 'RELEASED'];

/** The phase of the release gate: its one stage signs the approved file, which is then released. */
export const RELEASE_PHASE: ClipState = 'SIGNING';

/** The stage whose one decoding pass produces every stage's `frames`. */
const FRAMES_STAGE: StageName = 'media_analysis';

/** Checks that have no stage in this build, and what the clip record says about them. */
const NOT_BUILT_NOTE = 'not available in this build: this check has not been implemented yet, so it did not run';

/**
 * The stages, in route order. Adding a check means adding one stage here;
 * nothing else in the pipeline changes. Within a phase, a stage's `needs`
 * say what it waits for; the others run side by side.
 */
export class PipelinePlan {
  constructor(readonly stages: readonly PipelineStage[]) {
    const names = new Set(stages.map((s) => s.name));
    if (names.size !== stages.length) throw new Error('pipeline plan has duplicate stage names');
    const gates = stages.filter((s) => s.phase === RELEASE_PHASE);
    if (gates.length !== 1) throw new Error(`the release gate needs exactly one stage in the ${RELEASE_PHASE} phase; the plan has ${gates.length}`);
    if (gates[0].name !== SIGNING_STAGE) throw new Error(`the release gate stage must be named ${SIGNING_STAGE}, not ${gates[0].name}`);
    if (stages.some((s) => STOPS.includes(s.phase) || s.phase === 'APPROVED')) throw new Error('stages cannot run in AWAITING_REVIEW, APPROVED or RELEASED');
    for (const s of stages) {
      if (s.frames?.length && !s.needs?.includes(FRAMES_STAGE)) throw new Error(`stage ${s.name} reads decoded frames but does not need ${FRAMES_STAGE}, which produces them`);
    }
    // Needs point backwards within a phase, so a phase's stages always form a graph that finishes.
    stages.forEach((s, i) => {
      for (const need of s.needs ?? []) {
        const j = stages.findIndex((t) => t.name === need);
        if (j < 0 || j >= i || stages[j].phase !== s.phase) throw new Error(`stage ${s.name} needs ${need}, which is not an earlier stage of its phase ${s.phase}`);
      }
    });
  }

  route(source: ClipSource): readonly ClipState[] {
    return ROUTES[source];
  }

  stage(name: StageName): PipelineStage {
    const stage = this.stages.find((s) => s.name === name);
    if (!stage) throw new Error(`no pipeline stage named ${name}`);
    return stage;
  }

  /** The stage that releases approved clips; the only way to RELEASED goes through it. */
  releaseStage(): PipelineStage {
    return this.stages.find((s) => s.phase === RELEASE_PHASE)!;
  }

  /** The stop the pipeline heads for from `state`, or null when the clip is at a stop or off its route. */
  nextStop(source: ClipSource, state: ClipState): ClipState | null {
    const route = this.route(source);
    const i = route.indexOf(state);
    if (i < 0 || STOPS.includes(state)) return null;
    return route.slice(i + 1).find((s) => STOPS.includes(s)) ?? null;
  }

  /**
   * The first applicable stage, in route order, that has not succeeded yet,
   * between `from` and the next stop: stages before review run before it,
   * the release stage runs after approval.
   */
  nextStage(clip: StageClip, from: ClipState, succeeded: ReadonlySet<StageName>): PipelineStage | null {
    const stop = this.nextStop(clip.source, from);
    if (!stop) return null;
    const route = this.route(clip.source);
    const lo = route.indexOf(from);
    const hi = route.indexOf(stop);
    const pending = this.stages
      .filter((s) => {
        const at = route.indexOf(s.phase);
        return at >= lo && at < hi && s.appliesTo(clip) && !succeeded.has(s.name);
      })
      .sort((a, b) => route.indexOf(a.phase) - route.indexOf(b.phase));
    return pending[0] ?? null;
  }

  /**
   * The stages of `phase` that can run now, side by side: applicable to the
   * clip, not yet succeeded, and every stage they need has succeeded (or does
   * not apply to this clip).
   */
  readyStages(clip: StageClip, phase: ClipState, succeeded: ReadonlySet<StageName>): PipelineStage[] {
    const done = (name: StageName) => succeeded.has(name) || !this.stage(name).appliesTo(clip);
    return this.stages.filter((s) => s.phase === phase && s.appliesTo(clip) && !succeeded.has(s.name) && (s.needs ?? []).every(done));
  }

  /** The decoded pictures the clip's applicable stages read: the one decoding pass of media analysis produces them all. */
  framesWanted(clip: StageClip): ReadonlySet<FrameNeed> {
    return new Set(this.stages.filter((s) => s.appliesTo(clip)).flatMap((s) => s.frames ?? []));
  }

  /** The states between `from` (exclusive) and `to` (inclusive) along the clip's route. */
  pathBetween(source: ClipSource, from: ClipState, to: ClipState): ClipState[] {
    const route = this.route(source);
    const i = route.indexOf(from);
    const j = route.indexOf(to);
    if (i < 0 || j < 0 || j < i) throw new Error(`no route from ${from} to ${to} for a ${source} clip`);
    return route.slice(i + 1, j + 1);
  }

  /** The stages behind each check; with `source`, only those on that source's route (an upload has no prompt to check). */
  checksProvided(source?: ClipSource): Map<CheckKind, PipelineStage[]> {
    const map = new Map<CheckKind, PipelineStage[]>();
    for (const s of this.stages) {
      const check = STAGE_CHECK[s.name];
      if (check && (!source || ROUTES[source].includes(s.phase))) map.set(check, [...(map.get(check) ?? []), s]);
    }
    return map;
  }

  static readonly notBuiltNote = NOT_BUILT_NOTE;
}
