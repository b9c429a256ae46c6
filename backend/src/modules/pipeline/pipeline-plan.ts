import { CHECK_KINDS, type CheckKind, type ClipSource, type ClipState, type StageName } from '@provenant/shared';
import type { PipelineStage, StageClip } from './pipeline-stage';

/** The phases a clip walks through before review, per source. */
const ROUTES: Record<ClipSource, readonly ClipState[]> = {
  prompt: ['SUBMITTED', 'PROMPT_CHECK', 'GENERATING', 'ANALYZING', 'WATERMARKING', 'AWAITING_REVIEW'],
  upload: ['SUBMITTED', 'ANALYZING', 'WATERMARKING', 'AWAITING_REVIEW'],
};

/** Checks that have no stage in this build, and what the clip record says about them. */
const NOT_BUILT_NOTE = 'not available in this build: this check has not been implemented yet, so it did not run';

/**
 * The ordered list of stages. Adding a check means adding one stage here;
 * nothing else in the pipeline changes.
 */
export class PipelinePlan {
  constructor(readonly stages: readonly PipelineStage[]) {
    const names = new Set(stages.map((s) => s.name));
    if (names.size !== stages.length) throw new Error('pipeline plan has duplicate stage names');
  }

  route(source: ClipSource): readonly ClipState[] {
    return ROUTES[source];
  }

  stage(name: StageName): PipelineStage {
    const stage = this.stages.find((s) => s.name === name);
    if (!stage) throw new Error(`no pipeline stage named ${name}`);
    return stage;
  }

  /** The first applicable stage, in route order, that has not succeeded yet. */
  nextStage(clip: StageClip, succeeded: ReadonlySet<StageName>): PipelineStage | null {
    const route = this.route(clip.source);
    const pending = this.stages
      .filter((s) => route.includes(s.phase) && s.appliesTo(clip) && !succeeded.has(s.name))
      .sort((a, b) => route.indexOf(a.phase) - route.indexOf(b.phase));
    return pending[0] ?? null;
  }

  /** The states between `from` (exclusive) and `to` (inclusive) along the clip's route. */
  pathBetween(source: ClipSource, from: ClipState, to: ClipState): ClipState[] {
    const route = this.route(source);
    const i = route.indexOf(from);
    const j = route.indexOf(to);
    if (i < 0 || j < 0 || j < i) throw new Error(`no route from ${from} to ${to} for a ${source} clip`);
    return route.slice(i + 1, j + 1);
  }

  checksProvided(): Map<CheckKind, PipelineStage[]> {
    const map = new Map<CheckKind, PipelineStage[]>();
    for (const s of this.stages) if (s.check) map.set(s.check, [...(map.get(s.check) ?? []), s]);
    return map;
  }

  static readonly notBuiltNote = NOT_BUILT_NOTE;
  static readonly allChecks = CHECK_KINDS;
}
