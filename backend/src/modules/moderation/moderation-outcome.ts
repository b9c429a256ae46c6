import type { ModerationCategory, ModerationReport, ModerationStageResult, ModerationSubject, StoredModerationReport } from '@provenant/shared';
import { ModerationInputError, ModerationProviderError, worstVerdict } from '../../engines/moderation';
import { StageRejection, type StageOutcome } from '../pipeline/pipeline-stage';
import type { ActivePolicy } from './moderation-policies';

const SUBJECT_LABEL: Record<ModerationSubject, string> = { prompt: 'the prompt', reference_image: 'the reference image', clip: 'the clip' };
/** Enough for the submitter to see why; the full list is in the stage result. */
const REASON_CATEGORIES = 3;

/**
 * A moderation stage's outcome from its reports: the worst verdict decides,
 * the result records the policy and provider, and a block carries a reason
 * naming categories, scores, thresholds and rules (never the matched text:
 * the reason also goes into the audit log, which holds no personal data).
 *
 * `granted`: the categories of a prompt block a senior reviewer granted on
 * appeal. A report that blocks only in those categories counts as review: the
 * senior already judged that context legitimate, and the clip goes to a
 * four-eyes review with a senior rather than back to BLOCKED. A block in any
 * other category still blocks.
 */
export function moderationOutcome(
  active: ActivePolicy,
  reports: ModerationStageResult['reports'],
  granted: ReadonlySet<ModerationCategory> = new Set(),
): StageOutcome {
  const grantedOnAppeal = [...new Set(reports.flatMap((r) => blockingCategories(r.report).filter((c) => granted.has(c))))];
  const verdict = worstVerdict(reports.map((r) => effectiveVerdict(r.report, granted)));
  const result: ModerationStageResult = {
    policyVersion: active.policy.version,
    policySha256: active.sha256,
    provider: [...new Set(reports.map((r) => r.report.provider))].join('+'),
    reports,
    ...(grantedOnAppeal.length ? { grantedOnAppeal } : {}),
  };
  return verdict === 'block' ? { verdict, result, reason: blockReason(active, reports, granted) } : { verdict, result };
}

/** The categories in which moderation blocked, for the appeal of a prompt block. */
export function blockingCategories(report: Pick<ModerationReport, 'categories'>): ModerationCategory[] {
  return (Object.entries(report.categories) as [ModerationCategory, { verdict: string }][]).filter(([, c]) => c.verdict === 'block').map(([c]) => c);
}

function effectiveVerdict(report: StoredModerationReport, granted: ReadonlySet<ModerationCategory>): StoredModerationReport['verdict'] {
  if (report.verdict !== 'block') return report.verdict;
  return blockingCategories(report).every((c) => granted.has(c)) ? 'review' : 'block';
}

/**
 * The report as stored: each worst frame's image file replaced by the hash
 * of that file in the content store (`frameHashes`, path → sha256), so no
 * local path ends up in the database. A frame that is not a stored object
 * is a programming error.
 */
export function withStoredFrames(report: ModerationReport, frameHashes: ReadonlyMap<string, string>): StoredModerationReport {
  return {
    ...report,
    evidence: report.evidence.map((e) =>
      e.kind !== 'frames'
        ? e
        : {
            ...e,
            worstFrames: e.worstFrames.map(({ thumbnailPath, ...frame }) => {
              const thumbnailSha256 = frameHashes.get(thumbnailPath);
              if (!thumbnailSha256) throw new Error(`moderation evidence names a frame that is not in the content store`);
              return { ...frame, thumbnailSha256 };
            }),
          },
    ),
  };
}

function blockReason(active: ActivePolicy, reports: ModerationStageResult['reports'], granted: ReadonlySet<ModerationCategory>): string {
  const parts = reports
    .filter((r) => effectiveVerdict(r.report, granted) === 'block')
    .map(({ subject, report }) => {
      const blocking = (Object.entries(report.categories) as [ModerationCategory, ModerationReport['categories'][ModerationCategory]][])
        .filter(([category, c]) => c.verdict === 'block' && !granted.has(category))
        .sort(([, a], [, b]) => b.score - a.score)
        .slice(0, REASON_CATEGORIES)
        .map(([category, c]) => {
          // Sorted, so the same findings always read the same, whichever source reported first.
          const rules = [...new Set(report.evidence.flatMap((e) => (e.kind === 'text_match' && e.category === category ? [e.ruleId] : [])))].sort();
          return `${category} ${round(c.score)} (blocks at ${c.threshold.block}${rules.length ? `; rule ${rules.join(', ')}` : ''}${frameTimes(report, category)})`;
        });
      return `${SUBJECT_LABEL[subject]}: ${blocking.join('; ')}`;
    });
  return `moderation blocked ${parts.join(' | ')} [policy ${active.policy.version}]`;
}

function frameTimes(report: StoredModerationReport, category: string): string {
  const frames = report.evidence.flatMap((e) => (e.kind === 'frames' && e.category === category ? e.worstFrames.map((f) => f.timestampSeconds) : []));
  return frames.length ? `; frames at ${[...new Set(frames)].sort((a, b) => a - b).map((t) => `${t}s`).join(', ')}` : '';
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

/**
 * Engine errors as the stage workers understand them: input that cannot be
 * moderated and a provider that refuses the request fail the clip at once;
 * a provider outage is rethrown, so the job is retried and, once the retries
 * are spent, the clip goes to FAILED with the provider's message.
 */
export function asStageError(err: unknown): unknown {
  if (err instanceof ModerationInputError) {
    const media = err.code.startsWith('IMAGE') || err.code === 'NOT_AN_IMAGE' || err.code === 'VIDEO_UNREADABLE';
    return new StageRejection(media ? 'MEDIA_UNREADABLE' : 'MODERATION_INPUT_REJECTED', `${err.code}: ${err.message}`);
  }
  if (err instanceof ModerationProviderError && !err.retryable) {
    return new StageRejection('MODERATION_PROVIDER_REFUSED', `${err.provider} ${err.code}: ${err.message}`);
  }
  return err;
}
