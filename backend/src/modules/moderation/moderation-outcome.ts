import type { ModerationReport, ModerationStageResult, ModerationSubject, StoredModerationReport } from '@provenant/shared';
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
 */
export function moderationOutcome(active: ActivePolicy, reports: ModerationStageResult['reports']): StageOutcome {
  const verdict = worstVerdict(reports.map((r) => r.report.verdict));
  const result: ModerationStageResult = {
    policyVersion: active.policy.version,
    policySha256: active.sha256,
    provider: [...new Set(reports.map((r) => r.report.provider))].join('+'),
    reports,
  };
  return verdict === 'block' ? { verdict, result, reason: blockReason(active, reports) } : { verdict, result };
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

function blockReason(active: ActivePolicy, reports: ModerationStageResult['reports']): string {
  const parts = reports
    .filter((r) => r.report.verdict === 'block')
    .map(({ subject, report }) => {
      const blocking = Object.entries(report.categories)
        .filter(([, c]) => c.verdict === 'block')
        .sort(([, a], [, b]) => b.score - a.score)
        .slice(0, REASON_CATEGORIES)
        .map(([category, c]) => {
          const rules = [...new Set(report.evidence.flatMap((e) => (e.kind === 'text_match' && e.category === category ? [e.ruleId] : [])))];
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
