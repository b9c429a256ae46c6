import { WATERMARK_ALGORITHM } from '@provenant/shared';
import { MediaRejectedError, type MediaProber, MediaProcessError } from '../../../engines/media';
import {
  WatermarkInputError,
  parsePayloadHex,
  readBackRelease,
  releaseLabelText,
  type ReleaseEncoding,
  type ReleaseReadBack,
  type VisibleLabelOptions,
  type WatermarkDetector,
  type WatermarkEmbedder,
  type WatermarkKey,
} from '../../../engines/watermark';
import { toMediaInfo } from '../media-info';
import { StageRejection, type PipelineStage, type StageContext, type StageOutcome } from '../pipeline-stage';

/** Hands out the clip's payload (the same one on every call for a clip) and the creator's public handle. */
export interface WatermarkPayloadSource {
  assign(clipId: string): Promise<{ payloadHex: string; creatorHandle: string }>;
}

/** A Provenant watermark an upload already carried: the payload and the clip it is registered to. */
export interface PriorMark {
  originalClipId: string;
  payload: string;
}

/** The mark the clip's source already carries, as the prior_provenance stage read it; null when it carries none. */
export interface PriorMarkSource {
  priorMarkOf(clipId: string): Promise<PriorMark | null>;
}

export interface VisibleMarkPolicy {
  enabled: boolean;
  /** Platform name in the label: "AI-generated · <platform> · @<handle>". */
  platform: string;
  opacity: number;
  sizeRatio: number;
  cornerSeconds: number;
}

/** What the watermark stage records in its result. */
export interface WatermarkStageResult extends Record<string, unknown> {
  algorithm: string;
  payload: string;
  visibleLabel: string | null;
  sourceSha256: string;
  frames: number;
  audioCopied: boolean;
  /** The x264 settings of the render. */
  encoding: ReleaseEncoding;
  elapsedMs: number;
  /**
   * The detector run on the render itself: can a copy stripped of its C2PA
   * manifest be traced? `scope` says whether a sample of its frames sufficed
   * or the full read decided.
   */
  readBack: { found: boolean; scope: ReleaseReadBack['scope']; framesAnalysed: number; bitAccuracy: number | null; pilotZ: number | null; elapsedMs: number };
  /** The mark of another clip the source already carried, which this render marks over. */
  markedOver: PriorMark | null;
  /** Why the clip was flagged, when the mark cannot be read back; that the source was already marked. */
  note?: string;
}

const markedOverNote = ({ originalClipId, payload }: PriorMark) =>
  `the source already carried the watermark of clip ${originalClipId} (payload ${payload}); this clip's mark was rendered over it`;

const UNREADABLE_NOTE = 'the invisible watermark cannot be read back from this render; a copy stripped of its C2PA manifest could not be traced';

/**
 * Renders the release candidate: the invisible keyed payload (an identifier
 * the payload registry maps to this clip) plus, by policy, the visible moving
 * label. The render becomes the clip's media, so it is exactly the file the
 * reviewers watch, approve and the signing stage signs. The render is then
 * read back with the detector: on content the mark cannot hold (pictures that
 * are high-contrast texture everywhere) the clip is flagged for review, since
 * a copy stripped of its manifest could not be traced. A source that already
 * carried one of our marks (read by prior_provenance, which runs first) is
 * still marked, since the clip's manifest binds its own payload, and the
 * result says which mark it was rendered over.
 */
export class WatermarkStage implements PipelineStage {
  readonly name = 'watermark' as const;
  // The render depends on the media, not on the checks' verdicts: it runs beside them, once media analysis has vetted the file.
  readonly phase = 'ANALYZING' as const;
  // prior_provenance first: a file that already carries a mark is never marked a second time unrecorded.
  readonly needs = ['media_analysis', 'prior_provenance'] as const;

  constructor(
    private readonly embedder: WatermarkEmbedder,
    private readonly detector: WatermarkDetector,
    private readonly key: WatermarkKey,
    private readonly payloads: WatermarkPayloadSource,
    private readonly priorMarks: PriorMarkSource,
    private readonly prober: MediaProber,
    private readonly visible: VisibleMarkPolicy,
  ) {}

  appliesTo(): boolean {
    return true;
  }

  async run({ clip, store, signal }: StageContext): Promise<StageOutcome> {
    if (!clip.mediaSha256) throw new StageRejection('MEDIA_UNREADABLE', 'clip has no media to watermark');
    const { payloadHex, creatorHandle } = await this.payloads.assign(clip.id);
    const markedOver = await this.priorMarks.priorMarkOf(clip.id);
    const label = this.visible.enabled ? this.label(creatorHandle) : null;
    // The encoder picks the container from the extension.
    const output = `${store.scratchPath()}.mp4`;
    try {
      const rendered = await this.embedder.embed({
        input: store.localPath(clip.mediaSha256),
        output,
        payload: parsePayloadHex(payloadHex),
        key: this.key,
        visible: label,
        signal,
      });
      const probed = await this.prober.probe(output, signal);
      const readBack = await readBackRelease(this.detector, { input: output, key: this.key, payloadHex, signal });
      const { readable, ...reading } = readBack;
      const sha256 = await store.commit(await store.stageFile(output));
      const result: WatermarkStageResult = {
        algorithm: WATERMARK_ALGORITHM,
        payload: payloadHex,
        visibleLabel: label?.text ?? null,
        sourceSha256: clip.mediaSha256,
        frames: rendered.frames,
        audioCopied: rendered.audioCopied,
        encoding: rendered.encoding,
        elapsedMs: rendered.elapsedMs,
        readBack: { found: readable, ...reading },
        markedOver,
      };
      const notes = [readable ? null : UNREADABLE_NOTE, markedOver && markedOverNote(markedOver)].filter((n): n is string => n !== null);
      if (notes.length) result.note = notes.join('; ');
      return { verdict: readable ? 'allow' : 'review', result, media: { sha256, info: toMediaInfo(sha256, probed) } };
    } catch (err) {
      if (signal.aborted) throw err;
      if (err instanceof WatermarkInputError) throw new StageRejection('WATERMARK_FAILED', `${err.code}: ${err.message}`);
      if (err instanceof MediaRejectedError) throw new StageRejection('WATERMARK_FAILED', `the watermarked render is unusable: ${err.reason}`);
      if (err instanceof MediaProcessError && err.code === 'EXIT') throw new StageRejection('WATERMARK_FAILED', `the clip could not be rendered: ${err.message}`);
      throw err;
    } finally {
      await store.discard(output);
    }
  }

  private label(creatorHandle: string): VisibleLabelOptions {
    return {
      text: releaseLabelText(this.visible.platform, creatorHandle),
      opacity: this.visible.opacity,
      sizeRatio: this.visible.sizeRatio,
      cornerSeconds: this.visible.cornerSeconds,
    };
  }
}
