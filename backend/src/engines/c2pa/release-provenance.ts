import type { CheckKind, CheckVerdict, ClipSource } from '@provenant/shared';

/**
 * Everything a release manifest says about a clip. It deliberately has no
 * place for personal data: no prompt text, no user ids or names, only counts
 * and identifiers of our own records.
 */
export interface ReleaseProvenance {
  /** Our clip id; lets a verifier find the record again. */
  clipId: string;
  source: ClipSource;
  /** The model that made the clip, or the generator declared on upload. Recorded as the softwareAgent of c2pa.created. */
  generator: SoftwareAgent;
  /** IPTC digital source type; defaults to trainedAlgorithmicMedia. */
  digitalSourceType?: string;
  /** Provenant's own version, for claim_generator_info. */
  provenantVersion: string;
  watermark: WatermarkBinding;
  review: ReviewOutcome;
  /** A still of the clip, embedded as the claim thumbnail. */
  thumbnail: ImageResource;
  /** The reference image the clip was generated from, recorded as an ingredient. */
  referenceImage?: ImageResource & { title?: string };
}

export interface SoftwareAgent {
  name: string;
  version?: string;
}

/** The invisible watermark, recorded as an action and as a C2PA soft binding. */
export interface WatermarkBinding {
  /** Soft-binding algorithm name, e.g. `org.provenant.watermark.v1`. */
  algorithm: string;
  /** The embedded payload, lower-case hex. */
  payloadHex: string;
  /** Clip length the watermark spans; becomes the soft binding's timespan. */
  durationMs?: number;
}

export interface ReviewOutcome {
  decision: 'approved';
  /** How many reviewers approved; never who. */
  approvals: number;
  policyVersion: string;
  checkVerdicts: Partial<Record<CheckKind, CheckVerdict>>;
  /** Sequence number of the audit event that recorded the approval. */
  auditSeq: number;
  /**
   * The signed audit-log checkpoint whose tree covers `auditSeq`: the whole
   * signed note (C2SP tlog-checkpoint: origin, tree size, root hash, ...,
   * then signature lines), so anyone can check it against the log.
   */
  checkpoint: string;
}

export type ThumbnailFormat = 'image/jpeg' | 'image/png';
export type ReferenceImageFormat = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ImageResource {
  format: ThumbnailFormat | ReferenceImageFormat;
  bytes: Uint8Array;
}

export const TRAINED_ALGORITHMIC_MEDIA = 'http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia';
export const REVIEW_ASSERTION_LABEL = 'org.provenant.review';
