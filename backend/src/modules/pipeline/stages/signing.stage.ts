import { stat } from 'node:fs/promises';
import type { MediaInfoDto, StoredManifestDto } from '@provenant/shared';
import { C2paError, sha256File, type ReleaseProvenance, type ReleaseSigner, type SignedRelease } from '../../../engines/c2pa';
import type { MediaProber } from '../../../engines/media';
import { toMediaInfo } from '../media-info';
import { SIGNING_STAGE, StageRejection, type PipelineStage, type ReleaseStageResult, type StageClip, type StageContext, type StageOutcome } from '../pipeline-stage';

/** Builds what the manifest says about a clip from our records. */
export interface ReleaseProvenanceSource {
  gather(clip: StageClip): Promise<ReleaseProvenance>;
}

/** A manifest as signed into a released file. */
export interface SignedManifest {
  clipId: string;
  signedSha256: string;
  approvedSha256: string;
  watermarkPayload: string;
  manifestLabel: string;
  manifest: Record<string, unknown>;
  /** The JUMBF manifest store embedded in the signed file. */
  manifestStore: Uint8Array;
  timestamped: boolean;
}

/** Keeps every signed manifest, findable by clip, signed hash and watermark payload. */
export interface SignedManifestSink {
  record(entry: SignedManifest): Promise<void>;
  /** What an earlier attempt already signed for this clip and approved file. */
  signedFrom(clipId: string, approvedSha256: string): Promise<Pick<StoredManifestDto, 'signedSha256' | 'manifestLabel' | 'timestamped'> | null>;
}

/** The signing stage's result: the release record plus what identifies the manifest. */
export interface SignedReleaseResult extends ReleaseStageResult {
  signed: true;
  approvedSha256: string;
  manifestLabel: string;
  watermarkPayload: string;
  policyVersion: string;
  auditSeq: number;
  timestamped: boolean;
}

// Failures of the input or the credentials are not fixed by retrying; a crashed worker or an unreachable TSA may be.
const FINAL_C2PA_ERRORS = new Set(['INPUT_TOO_LARGE', 'INPUT_UNREADABLE', 'INPUT_MISMATCH', 'UNSUPPORTED_MEDIA', 'INVALID_PROVENANCE', 'CREDENTIALS_INVALID']);

/**
 * The release gate: checks that the stored file is byte for byte the one the
 * reviewers approved (the watermarked render), embeds a C2PA manifest in it
 * and stores the manifest. The signed file becomes the clip's media and the
 * released file; nothing reaches RELEASED unsigned.
 */
export class SigningStage implements PipelineStage {
  readonly name = SIGNING_STAGE;
  readonly phase = 'SIGNING' as const;

  constructor(
    private readonly signer: ReleaseSigner,
    private readonly provenance: ReleaseProvenanceSource,
    private readonly manifests: SignedManifestSink,
    private readonly prober: MediaProber,
    private readonly maxSignBytes: number,
  ) {}

  appliesTo(): boolean {
    return true;
  }

  async run({ clip, store, signal }: StageContext): Promise<StageOutcome> {
    const approved = clip.approvedMediaSha256;
    if (!approved) throw new StageRejection('RELEASE_MEDIA_MISMATCH', 'no approved file is recorded for this clip');
    if (clip.mediaSha256 !== approved) {
      throw new StageRejection('RELEASE_MEDIA_MISMATCH', `the clip's file ${clip.mediaSha256} is not the approved file ${approved}`);
    }
    const input = store.localPath(approved);
    const actual = await sha256File(input).catch((err: Error) => {
      throw new StageRejection('RELEASE_MEDIA_MISMATCH', `the approved file cannot be read: ${err.message}`);
    });
    if (actual !== approved) throw new StageRejection('RELEASE_MEDIA_MISMATCH', `the stored file hashes to ${actual}, not the approved ${approved}`);
    const { size } = await stat(input);
    if (size > this.maxSignBytes) {
      throw new StageRejection('SIGNING_INPUT_TOO_LARGE', `the approved file is ${size} bytes, above the signing cap C2PA_MAX_SIGN_BYTES=${this.maxSignBytes}; it was not signed`);
    }

    const provenance = await this.provenance.gather(clip);
    // A retried release (the worker died after signing, before the release was committed) reuses what it
    // signed instead of leaving a second signed copy and manifest behind.
    const earlier = await this.manifests.signedFrom(clip.id, approved);
    if (earlier && (await store.has(earlier.signedSha256))) {
      const probed = await this.prober.probe(store.localPath(earlier.signedSha256), signal);
      return this.released(earlier.signedSha256, approved, provenance, earlier, toMediaInfo(earlier.signedSha256, probed));
    }
    const output = `${store.scratchPath()}.mp4`;
    let signed: SignedRelease;
    try {
      signed = await this.signer.sign({ inputPath: input, expectedInputSha256: approved, outputPath: output, provenance });
    } catch (err) {
      await store.discard(output);
      if (err instanceof C2paError && FINAL_C2PA_ERRORS.has(err.code)) {
        throw new StageRejection(err.code === 'INPUT_TOO_LARGE' ? 'SIGNING_INPUT_TOO_LARGE' : err.code === 'INPUT_MISMATCH' ? 'RELEASE_MEDIA_MISMATCH' : 'SIGNING_FAILED', err.message);
      }
      throw err;
    }
    try {
      const probed = await this.prober.probe(output, signal);
      const sha256 = await store.commit(await store.stageFile(output));
      if (sha256 !== signed.sha256) throw new Error(`the signed file hashes to ${sha256}, the signer reported ${signed.sha256}`);
      await this.manifests.record({
        clipId: clip.id,
        signedSha256: sha256,
        approvedSha256: approved,
        watermarkPayload: provenance.watermark.payloadHex,
        manifestLabel: signed.manifestLabel,
        manifest: signed.manifest,
        manifestStore: signed.manifestStore,
        timestamped: signed.timestamped,
      });
      return this.released(sha256, approved, provenance, signed, toMediaInfo(sha256, probed));
    } finally {
      await store.discard(output);
    }
  }

  private released(sha256: string, approved: string, provenance: ReleaseProvenance, signature: { manifestLabel: string; timestamped: boolean }, info: MediaInfoDto): StageOutcome {
    const result: SignedReleaseResult = {
      releasedSha256: sha256,
      signed: true,
      note: null,
      approvedSha256: approved,
      manifestLabel: signature.manifestLabel,
      watermarkPayload: provenance.watermark.payloadHex,
      policyVersion: provenance.review.policyVersion,
      auditSeq: provenance.review.auditSeq,
      timestamped: signature.timestamped,
    };
    return { verdict: 'allow', result, media: { sha256, info } };
  }
}
