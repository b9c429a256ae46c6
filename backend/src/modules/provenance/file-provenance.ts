import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { VerifyWatermarkDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { readManifest, type ManifestReport } from '../../engines/c2pa';
import { type FfmpegBinaries, MediaProcessError } from '../../engines/media';
import { type LumaEvidence, WatermarkDetector, WatermarkInputError, type WatermarkKey } from '../../engines/watermark';
import { APP_CONFIG, FFMPEG_BINARIES } from '../core/tokens';
import { ClipRepository } from '../lifecycle/clip.repository';
import { C2paRuntime } from './c2pa-runtime';
import { WATERMARK_KEY } from './provenance-tokens';
import { WatermarkPayloads } from './watermark-payloads';

/** What a file says about its origin among our clips. */
export interface FileProvenance {
  /** The embedded C2PA manifest, validated against our CA and the configured anchors. */
  c2pa: ManifestReport;
  /** The clip a Trusted manifest of ours names, when that clip exists. */
  c2paClipId: string | null;
  /** The watermark reading; null when it was not read (the manifest already named the clip and `watermark` was `unless_traced_by_manifest`). */
  watermark: VerifyWatermarkDto | null;
  /** The clip the watermark's payload is registered to. */
  watermarkClipId: string | null;
}

export interface TraceOptions {
  /** `always`: read the watermark even when the manifest names the clip (intake wants both); `unless_traced_by_manifest`: only when it does not (verification answers faster). */
  watermark: 'always' | 'unless_traced_by_manifest';
  /**
   * The file's luma evidence from a pass that already decoded it (media
   * analysis), or why it has none: then the watermark is read from it and the
   * file is not decoded again. Without it the detector decodes the file.
   */
  lumaEvidence?: LumaEvidence | { reason: string };
  signal?: AbortSignal;
}

const NOT_FOUND: VerifyWatermarkDto = { found: false, payload: null, confidence: 0 };

/**
 * Traces a file back to our clips: its embedded C2PA manifest and its
 * invisible watermark, looked up in the payload registry. Publisher
 * verification and the intake check (prior_provenance) both read files
 * through it. C2PA errors (a file that is not ISO BMFF) propagate.
 */
@Injectable()
export class FileProvenanceReader {
  private readonly detector: WatermarkDetector;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clips: ClipRepository,
    private readonly runtime: C2paRuntime,
    private readonly payloads: WatermarkPayloads,
    @Inject(WATERMARK_KEY) private readonly key: WatermarkKey,
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(FFMPEG_BINARIES) bins: FfmpegBinaries,
  ) {
    this.detector = new WatermarkDetector(bins, { timeoutMs: config.WATERMARK_TIMEOUT_MS });
  }

  async trace(path: string, options: TraceOptions): Promise<FileProvenance> {
    const c2pa = await readManifest(path, {
      trustAnchorsPem: this.runtime.credentials.trustAnchorsPem || undefined,
      timestampAnchorsPem: this.runtime.credentials.timestampAnchorsPem,
      host: this.runtime.reader,
    });
    const claimed = c2pa.state === 'Trusted' ? c2pa.claims?.review?.clipId : undefined;
    const c2paClipId = typeof claimed === 'string' && (await this.clipExists(claimed)) ? claimed : null;
    if (c2paClipId && options.watermark === 'unless_traced_by_manifest') return { c2pa, c2paClipId, watermark: null, watermarkClipId: null };
    const watermark = options.lumaEvidence ? this.detectEvidence(options.lumaEvidence) : await this.detect(path, options.signal);
    const watermarkClipId = watermark.payload ? await this.payloads.clipFor(watermark.payload) : null;
    return { c2pa, c2paClipId, watermark, watermarkClipId };
  }

  private detectEvidence(evidence: LumaEvidence | { reason: string }): VerifyWatermarkDto {
    if ('reason' in evidence) return NOT_FOUND;
    const d = this.detector.detectEvidence(evidence, this.key);
    return { found: d.found, payload: d.payload, confidence: d.confidence };
  }

  private async detect(path: string, signal: AbortSignal | undefined): Promise<VerifyWatermarkDto> {
    try {
      const d = await this.detector.detect({ input: path, key: this.key, signal });
      return { found: d.found, payload: d.payload, confidence: d.confidence };
    } catch (err) {
      // An MP4 whose video cannot be decoded carries no readable mark.
      if (!signal?.aborted && (err instanceof WatermarkInputError || (err instanceof MediaProcessError && err.code === 'EXIT'))) return NOT_FOUND;
      throw err;
    }
  }

  private async clipExists(clipId: string): Promise<boolean> {
    return /^[0-9a-f-]{36}$/i.test(clipId) && (await this.clips.findById(this.dataSource, clipId)) !== null;
  }
}
