import {
  MODERATION_CATEGORIES,
  MODERATION_STAGE_NAMES,
  type CheckVerdict,
  type ModerationCategory,
  type ModerationStageResult,
  type ModerationSubject,
  type SpeechCoverage,
  type StageName,
  type StageResultDto,
  type StoredModerationReport,
  type StoredWorstFrame,
} from '@provenant/shared';

export interface CategoryRow {
  category: ModerationCategory;
  score: string;
  review: string;
  block: string;
  verdict: CheckVerdict;
  /** Sources that scored it, or null when nothing did. */
  assessedBy: string | null;
}

export interface TextMatchRow {
  source: string;
  category: ModerationCategory;
  ruleId: string;
  score: string;
  normalised: string;
  original: string;
  /** Seconds into the clip, for on-screen text. */
  at: number | null;
}

export interface FramesRow {
  category: ModerationCategory;
  source: string;
  maxScore: string;
  runs: string;
  note: string | null;
  worstFrames: StoredWorstFrame[];
}

/** One moderation report as the clip page shows it. */
export interface ModerationSection {
  stage: StageName;
  subject: ModerationSubject;
  title: string;
  verdict: CheckVerdict;
  policyVersion: string;
  provider: string;
  models: string;
  speech: string;
  /** Categories that went to review or block first, then the rest in the model's order. */
  categories: CategoryRow[];
  textMatches: TextMatchRow[];
  frames: FramesRow[];
  notes: string[];
}

const TITLES: Record<ModerationSubject, string> = { prompt: 'Prompt', reference_image: 'Reference image', clip: 'Clip' };
const VERDICT_RANK: Record<CheckVerdict, number> = { block: 0, review: 1, allow: 2 };
const SOURCE_LABELS: Record<string, string> = {
  prompt: 'prompt',
  image: 'image',
  frames: 'frames',
  on_screen_text: 'on-screen text',
  speech: 'speech',
};

const score = (n: number): string => n.toFixed(3);
const source = (s: string): string => SOURCE_LABELS[s] ?? s;

/** The moderation reports in a clip's stage results, in the order the stages ran. */
export function moderationSections(stages: readonly StageResultDto[]): ModerationSection[] {
  return stages.flatMap((stage) => {
    if (!(MODERATION_STAGE_NAMES as readonly StageName[]).includes(stage.stage) || stage.status !== 'succeeded') return [];
    const result = stage.result as ModerationStageResult;
    return (result.reports ?? []).map(({ subject, report }) => section(stage.stage, subject, result, report));
  });
}

function section(stage: StageName, subject: ModerationSubject, result: ModerationStageResult, report: StoredModerationReport): ModerationSection {
  const categories = MODERATION_CATEGORIES.map((category): CategoryRow => {
    const c = report.categories[category];
    return {
      category,
      score: score(c.score),
      review: score(c.threshold.review),
      block: c.threshold.block === null ? 'never' : score(c.threshold.block),
      verdict: c.verdict,
      assessedBy: c.assessedBy.length ? c.assessedBy.map(source).join(', ') : null,
    };
  }).sort((a, b) => VERDICT_RANK[a.verdict] - VERDICT_RANK[b.verdict]);

  const textMatches: TextMatchRow[] = [];
  const frames: FramesRow[] = [];
  const notes: string[] = [];
  for (const e of report.evidence) {
    if (e.kind === 'text_match') {
      textMatches.push({ source: source(e.source), category: e.category, ruleId: e.ruleId, score: score(e.score), normalised: e.normalised, original: e.original, at: e.frameTimestampSeconds ?? null });
    } else if (e.kind === 'frames') {
      frames.push({
        category: e.category,
        source: source(e.source),
        maxScore: score(e.maxScore),
        runs: `${e.framesOverReview} of ${e.framesSampled} frames at or over review; longest run over block ${e.longestRunOverBlock}`,
        note: e.note ?? null,
        worstFrames: e.worstFrames,
      });
    } else if (e.kind === 'unassessed_text') {
      notes.push(`${source(e.source)}: ${e.note}`);
    } else if (e.kind === 'provider_fallback') {
      notes.push(`${e.from} was unavailable, ${e.to} moderated instead (${e.reason})`);
    }
  }
  if (result.grantedOnAppeal?.length) {
    notes.push(
      `${result.grantedOnAppeal.join(', ')}: would block, but a senior reviewer granted the appeal of the prompt's block in ${result.grantedOnAppeal.length === 1 ? 'this category' : 'these categories'}, so the clip goes to a four-eyes review instead`,
    );
  }
  return {
    stage,
    subject,
    title: TITLES[subject],
    verdict: report.verdict,
    policyVersion: result.policyVersion,
    provider: report.provider,
    models: report.models.join(', '),
    speech: speechText(report.speech),
    categories,
    textMatches,
    frames,
    notes,
  };
}

function speechText(speech: SpeechCoverage): string {
  switch (speech.status) {
    case 'checked':
      return `checked (${speech.transcriptChars} characters transcribed)`;
    case 'not checked':
      return `not checked: ${speech.reason}`;
    case 'no audio':
      return 'no audio track';
    case 'not applicable':
      return 'not applicable';
  }
}
