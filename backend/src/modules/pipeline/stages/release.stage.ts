import { sha256File } from '../../../engines/c2pa/file-sha256';
import { StageRejection, type PipelineStage, type ReleaseStageResult, type StageContext, type StageOutcome } from '../pipeline-stage';

export const UNSIGNED_RELEASE_NOTE = 'C2PA signing is not available in this build; released unsigned';

/**
 * The release gate while C2PA signing is not part of the pipeline: it checks
 * that the stored file is byte for byte the one the reviewers approved and
 * releases it as it is. It makes no manifest and says so (`signed: false`).
 * The C2PA signing stage replaces this one, in the same phase.
 */
export class UnsignedReleaseStage implements PipelineStage {
  readonly name = 'release' as const;
  readonly phase = 'SIGNING' as const;
  // Not the c2pa check: nothing is signed, so clips keep saying c2pa is not available.
  readonly check = null;

  appliesTo(): boolean {
    return true;
  }

  async run({ clip, store }: StageContext): Promise<StageOutcome> {
    const approved = clip.approvedMediaSha256;
    if (!approved) throw new StageRejection('RELEASE_MEDIA_MISMATCH', 'no approved file is recorded for this clip');
    if (clip.mediaSha256 !== approved) {
      throw new StageRejection('RELEASE_MEDIA_MISMATCH', `the clip's file ${clip.mediaSha256} is not the approved file ${approved}`);
    }
    const actual = await sha256File(store.localPath(approved)).catch((err: Error) => {
      throw new StageRejection('RELEASE_MEDIA_MISMATCH', `the approved file cannot be read: ${err.message}`);
    });
    if (actual !== approved) throw new StageRejection('RELEASE_MEDIA_MISMATCH', `the stored file hashes to ${actual}, not the approved ${approved}`);
    const result: ReleaseStageResult = { releasedSha256: approved, signed: false, note: UNSIGNED_RELEASE_NOTE };
    return { verdict: 'allow', result };
  }
}
