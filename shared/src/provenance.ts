import type { ClipState } from './clip-state';

/** How a verified file was traced back to a clip: its embedded C2PA manifest, or the invisible watermark after the manifest was stripped or broken. */
export type OriginRecovery = 'c2pa' | 'watermark';

/** C2PA validation states (c2pa-rs), plus `absent` for a file without a manifest. */
export type C2paState = 'Trusted' | 'Valid' | 'Invalid' | 'absent';

/** What the file's own C2PA manifest says, as read and validated (step a). */
export interface VerifyC2paDto {
  state: C2paState;
  /** Every C2PA failure code, e.g. `assertion.bmffHash.mismatch`, `signingCredential.untrusted`. */
  failures: string[];
  signer: { commonName: string | null; organization: string | null; timestampedAt: string | null } | null;
  /** What the embedded manifest claims; only to be trusted when `state` is Trusted. */
  claims: VerifyManifestClaimsDto | null;
}

export interface VerifyManifestClaimsDto {
  manifestLabel: string;
  claimGenerator: Array<{ name: string; version: string | null }>;
  actions: Array<{ action: string; digitalSourceType: string | null; softwareAgent: string | null }>;
  softBindings: Array<{ algorithm: string; value: string }>;
  /** Our review-outcome assertion (`org.provenant.review`), when the manifest is ours. */
  review: Record<string, unknown> | null;
}

/** The watermark reading (step b), when the detector ran. */
export interface VerifyWatermarkDto {
  found: boolean;
  /** Hex of the 8-byte payload when found. */
  payload: string | null;
  confidence: number;
}

/** Where the file came from. */
export interface VerifyOriginDto {
  /** Our clip, or null when neither the manifest nor a watermark leads to one. */
  clipId: string | null;
  recoveredBy: OriginRecovery | null;
  /**
   * The manifest we signed for that clip, from the manifest store: when the
   * file's own manifest was stripped or broken, this is the original.
   */
  originalManifest: StoredManifestDto | null;
  /** Plain statement, e.g. "this clip's credentials were stripped; here is the original manifest". */
  message: string | null;
}

/** A manifest as kept in the manifest store. */
export interface StoredManifestDto {
  manifestLabel: string;
  /** SHA-256 of the signed file the manifest was embedded in. */
  signedSha256: string;
  watermarkPayload: string;
  signedAt: string;
  timestamped: boolean;
  /** The active manifest as c2pa-rs reports it (assertions, signature info). No personal data. */
  manifest: Record<string, unknown>;
}

/**
 * Release status of the clip the file leads to: `released` (when and under
 * which policy) or `never_released`. A file that leads to one of our clips
 * that was never released (rejected, blocked, still in review) is a leak, and
 * says so.
 */
export interface VerifyReleaseDto {
  status: 'released' | 'never_released';
  releasedAt?: string;
  policyVersion?: string;
  /** SHA-256 of the file we released (the signed one). */
  releasedSha256?: string;
  /** The clip's state now, for one of our clips. */
  clipState?: ClipState;
  /** True when the file is one of our clips that was never released: rejected, blocked, or still in review. */
  leak: boolean;
  message: string | null;
}

/** `POST /api/v1/verify` (multipart field `file`) and `provenant verify FILE --server URL --json`. */
export interface VerifyResponseDto {
  c2pa: VerifyC2paDto;
  /** Null when the watermark detector did not run (the manifest was Trusted). */
  watermark: VerifyWatermarkDto | null;
  origin: VerifyOriginDto;
  release: VerifyReleaseDto;
  /** SHA-256 and size of the file as received. */
  file: { sha256: string; bytes: number };
}

/** The soft-binding algorithm name of our invisible watermark, as written in manifests. */
export const WATERMARK_ALGORITHM = 'org.provenant.watermark.v1';

/** How an uploaded file was found to be one of our clips already: its C2PA manifest, its watermark, or both. */
export type PriorProvenanceEvidence = 'c2pa' | 'watermark' | 'both';

/**
 * The result of the `prior_provenance` stage: an upload's embedded C2PA
 * manifest and its invisible watermark, read before the clip is marked as
 * new. `found` is null when neither leads to a clip of ours.
 */
export interface PriorProvenanceResult extends Record<string, unknown> {
  found: PriorProvenanceEvidence | null;
  c2paState: C2paState;
  watermark: VerifyWatermarkDto;
  originalClipId: string | null;
  /** The original clip's state when the upload was checked. */
  originalState: ClipState | null;
  /** Whether the upload's creator also created the original. */
  sameCreator: boolean | null;
  /** What the reviewer reads, e.g. "this file is clip … by another creator, in state RELEASED"; null when nothing was found. */
  note: string | null;
}
