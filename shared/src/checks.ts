/** The safety and provenance checks a clip goes through. */
export const CHECK_KINDS = ['moderation', 'likeness', 'copyright', 'watermark', 'signing'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** What a check concludes: let it through, send it to a human flagged, or stop it. */
export const CHECK_VERDICTS = ['allow', 'review', 'block'] as const;
export type CheckVerdict = (typeof CHECK_VERDICTS)[number];

/** Per check, whether it exists in this build and whether it ran for a clip. */
export type CheckStatus = 'not_available' | 'pending' | 'ran' | 'failed';

/** Names of pipeline stages; each runs on its own queue. */
export const STAGE_NAMES = ['prompt_moderation', 'prompt_likeness', 'generate', 'media_analysis', 'prior_provenance', 'clip_moderation', 'clip_likeness', 'watermark', 'signing'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

/** The check each stage implements, if it is one: the one table behind every clip's `checks`. */
export const STAGE_CHECK: Readonly<Record<StageName, CheckKind | null>> = {
  prompt_moderation: 'moderation',
  prompt_likeness: 'likeness',
  generate: null,
  media_analysis: null,
  prior_provenance: null,
  clip_moderation: 'moderation',
  clip_likeness: 'likeness',
  watermark: 'watermark',
  signing: 'signing',
};

export const stagesOfCheck = (check: CheckKind): StageName[] => STAGE_NAMES.filter((s) => STAGE_CHECK[s] === check);

export type StageStatus = 'succeeded' | 'failed';
