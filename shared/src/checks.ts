/** The safety and provenance checks a clip goes through. */
export const CHECK_KINDS = ['moderation', 'likeness', 'copyright', 'watermark', 'c2pa'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** What a check concludes: let it through, send it to a human flagged, or stop it. */
export const CHECK_VERDICTS = ['allow', 'review', 'block'] as const;
export type CheckVerdict = (typeof CHECK_VERDICTS)[number];

/** Per check, whether it exists in this build and whether it ran for a clip. */
export type CheckStatus = 'not_available' | 'pending' | 'ran' | 'failed';

/** Names of pipeline stages; each runs on its own queue. */
export const STAGE_NAMES = ['prompt_moderation', 'generate', 'media_analysis', 'clip_moderation', 'watermark', 'release'] as const;
export type StageName = (typeof STAGE_NAMES)[number];

export type StageStatus = 'succeeded' | 'failed';
