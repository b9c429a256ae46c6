import { readFile } from 'node:fs/promises';
import type { CheckVerdict, ClipState, PriorProvenanceEvidence, PriorProvenanceResult } from '@provenant/shared';
import { C2paError } from '../../../engines/c2pa';
import { parseLumaEvidence } from '../../../engines/watermark';
import type { AnalysedLumaSource } from '../../moderation/analysis-frames';
import type { FileProvenance, TraceOptions } from '../../provenance/file-provenance';
import { StageRejection, type PipelineStage, type StageClip, type StageContext, type StageOutcome } from '../pipeline-stage';

/** Reads a file's C2PA manifest and watermark and looks them up among our clips (FileProvenanceReader). */
export interface FileOriginSource {
  trace(path: string, options: TraceOptions): Promise<FileProvenance>;
}

/** Who created a clip and where it is now. */
export interface ClipOwnerSource {
  ownerAndState(clipId: string): Promise<{ createdBy: string; state: ClipState } | null>;
}

/** An original in one of these states was refused: a copy of it is refused too, whoever uploads it. */
const REFUSED_ORIGINAL_STATES: readonly ClipState[] = ['REJECTED', 'BLOCKED'];

const EVIDENCE_TEXT: Record<PriorProvenanceEvidence, string> = {
  c2pa: 'its C2PA manifest',
  watermark: 'its invisible watermark',
  both: 'its C2PA manifest and its invisible watermark',
};

/**
 * Provenance laundering check: before an uploaded file is marked and signed
 * as a new clip, its embedded C2PA manifest and its invisible watermark are
 * read (both, so a copy stripped of its manifest is still caught). A file
 * that is already one of our clips is a copy: of another creator's clip, it
 * is flagged for review with the original as evidence; of a rejected or
 * blocked clip, it is blocked; the creator's own re-upload is noted only.
 */
export class PriorProvenanceStage implements PipelineStage {
  readonly name = 'prior_provenance' as const;
  readonly phase = 'ANALYZING' as const;
  // Reads only files media analysis has vetted (decodable, within the limits), and the watermark from the luma that pass decoded.
  readonly needs = ['media_analysis'] as const;
  readonly frames = ['watermark_luma'] as const;

  constructor(
    private readonly origins: FileOriginSource,
    private readonly owners: ClipOwnerSource,
    private readonly analysed: AnalysedLumaSource,
  ) {}

  /** Generated clips come from our generator; an upload can be anything, including one of our own files. */
  appliesTo(clip: StageClip): boolean {
    return clip.source === 'upload';
  }

  async run({ clip, store, signal }: StageContext): Promise<StageOutcome> {
    if (!clip.mediaSha256) throw new StageRejection('MEDIA_UNREADABLE', 'clip has no media to check for prior provenance');
    let traced: FileProvenance;
    try {
      const stored = await this.analysed.watermarkLumaOf(clip.id);
      const lumaEvidence = 'reason' in stored ? stored : parseLumaEvidence(await readFile(store.localPath(stored.sha256)));
      traced = await this.origins.trace(store.localPath(clip.mediaSha256), { watermark: 'always', lumaEvidence, signal });
    } catch (err) {
      if (err instanceof C2paError && (err.code === 'UNSUPPORTED_MEDIA' || err.code === 'INPUT_UNREADABLE')) throw new StageRejection('MEDIA_UNREADABLE', 'the C2PA manifest of the uploaded file could not be read');
      throw err;
    }
    const originalClipId = traced.c2paClipId ?? traced.watermarkClipId;
    const original = originalClipId ? await this.owners.ownerAndState(originalClipId) : null;
    const uploader = await this.owners.ownerAndState(clip.id);
    if (!originalClipId || !original || !uploader) {
      return { verdict: 'allow', result: this.result(traced, null, null, null, null) };
    }
    const found: PriorProvenanceEvidence = traced.c2paClipId && traced.watermarkClipId === traced.c2paClipId ? 'both' : traced.c2paClipId ? 'c2pa' : 'watermark';
    const sameCreator = original.createdBy === uploader.createdBy;
    const { verdict, note } = priorProvenanceVerdict(originalClipId, original.state, sameCreator, found);
    const result = this.result(traced, found, originalClipId, original, sameCreator, note);
    return verdict === 'block' ? { verdict, result, reason: note } : { verdict, result };
  }

  private result(
    traced: FileProvenance,
    found: PriorProvenanceEvidence | null,
    originalClipId: string | null,
    original: { state: ClipState } | null,
    sameCreator: boolean | null,
    note: string | null = null,
  ): PriorProvenanceResult {
    return {
      found,
      c2paState: traced.c2pa.state,
      watermark: traced.watermark!,
      originalClipId,
      originalState: original?.state ?? null,
      sameCreator,
      note,
    };
  }
}

/** The rule for a copy of one of our clips, by the original's state and whose it is. */
export function priorProvenanceVerdict(originalClipId: string, originalState: ClipState, sameCreator: boolean, found: PriorProvenanceEvidence): { verdict: CheckVerdict; note: string } {
  const whose = sameCreator ? 'by the same creator' : 'by another creator';
  const evidence = `found by ${EVIDENCE_TEXT[found]}`;
  if (REFUSED_ORIGINAL_STATES.includes(originalState)) {
    return { verdict: 'block', note: `this file is a copy of clip ${originalClipId} ${whose}, in state ${originalState} (${evidence}): a copy of a rejected or blocked clip is blocked` };
  }
  if (sameCreator) return { verdict: 'allow', note: `this file is clip ${originalClipId} by the same creator, in state ${originalState} (${evidence}): a re-upload of their own clip` };
  return { verdict: 'review', note: `this file is clip ${originalClipId} by another creator, in state ${originalState} (${evidence})` };
}
