import { randomBytes } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join } from 'node:path';
import { type FfmpegBinaries, FfmpegStream } from '../media';
import { GridAxis, renderCells } from './cell-grid';
import { DEFAULT_MARKING_THREADS, assertMarkingThreads, createFrameMarker } from './frame-marking-pool';
import { DEFAULT_MARK_STRENGTH, MarkStrength } from './luma-marker';
import { PayloadCodec, assertPayload } from './payload-codec';
import { DEFAULT_RELEASE_ENCODING, ReleaseEncoding, x264OutputArgs } from './release-encoding';
import { TileLayout } from './tile-layout';
import { probeVideoStream } from './video-stream-info';
import { VisibleLabelOptions, labelFilter, resolveLabel } from './visible-label';
import { WatermarkInputError } from './watermark-errors';
import { MIN_EMBED_SHORT_SIDE, cellPixels } from './watermark-geometry';
import type { WatermarkKey } from './watermark-key';

export interface EmbedRequest {
  input: string;
  output: string;
  /** Exactly PAYLOAD_BYTES (8) bytes: the identifier the database maps to the clip. */
  payload: Buffer;
  key: WatermarkKey;
  /** The visible moving label; null or absent renders none. */
  visible?: VisibleLabelOptions | null;
  /** Overrides the embedder's encoding for this render. */
  encoding?: ReleaseEncoding;
  strength?: MarkStrength;
  signal?: AbortSignal;
}

export interface EmbedResult {
  output: string;
  width: number;
  height: number;
  frames: number;
  frameRate: string;
  audioCopied: boolean;
  visibleLabel: boolean;
  encoding: ReleaseEncoding;
  /** Wall time of the whole render. */
  elapsedMs: number;
  /** Time spent marking frames in JavaScript, summed over the marking threads. */
  markingMs: number;
  markingThreads: number;
}

export interface WatermarkEmbedderOptions {
  /** Deadline for one render (decode + mark + encode). */
  timeoutMs: number;
  /** Default DEFAULT_RELEASE_ENCODING. */
  encoding?: ReleaseEncoding;
  /** Worker threads that mark frames; 0 marks on the calling thread. Default DEFAULT_MARKING_THREADS. */
  markingThreads?: number;
}

/**
 * Renders the release candidate: decodes the clip to raw 4:2:0 frames, adds
 * the keyed pattern to the luma of every frame, and encodes once with the
 * release settings (the visible label is drawn by that same encoder, after
 * the invisible mark). Audio streams are copied untouched from the input.
 */
export class WatermarkEmbedder {
  private readonly markingThreads: number;

  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly options: WatermarkEmbedderOptions,
  ) {
    this.markingThreads = options.markingThreads ?? DEFAULT_MARKING_THREADS;
    assertMarkingThreads(this.markingThreads);
  }

  async embed(request: EmbedRequest): Promise<EmbedResult> {
    const started = Date.now();
    assertPayload(request.payload);
    const label = request.visible ? resolveLabel(request.visible) : null;
    const info = await probeVideoStream(this.bins, request.input, this.options.timeoutMs, request.signal);
    // 4:2:0 H.264 needs even sizes: an odd last row or column is dropped.
    const width = info.width & ~1;
    const height = info.height & ~1;
    if (Math.min(width, height) < MIN_EMBED_SHORT_SIDE) {
      throw new WatermarkInputError(
        'TOO_SMALL',
        `${info.width}x${info.height} is too small to watermark: the short side must be at least ${MIN_EMBED_SHORT_SIDE} px`,
      );
    }

    const codeword = new PayloadCodec(request.key).encode(request.payload);
    const cells = new TileLayout(request.key).cellValues(codeword);
    const cellPx = cellPixels(width, height);
    const pattern = renderCells(cells, new GridAxis(width, cellPx), new GridAxis(height, cellPx));
    const encoding = request.encoding ?? this.options.encoding ?? DEFAULT_RELEASE_ENCODING;

    const scratch = await mkdtemp(join(tmpdir(), 'provenant-wm-'));
    const partial = join(dirname(request.output), `.${basename(request.output)}.${randomBytes(4).toString('hex')}.partial${extname(request.output)}`);
    const marker = createFrameMarker(this.markingThreads, width, height, pattern, request.strength ?? DEFAULT_MARK_STRENGTH);
    try {
      const filters = [`crop=${width}:${height}:0:0`];
      const encodeFilters: string[] = [];
      if (label) {
        const textFile = join(scratch, 'label.txt');
        await writeFile(textFile, label.text, 'utf8');
        encodeFilters.push(labelFilter(label, textFile, height, width));
      }
      const streamOptions = { timeoutMs: this.options.timeoutMs, signal: request.signal };
      const decoder = new FfmpegStream(
        this.bins.ffmpeg,
        ['-v', 'error', '-nostdin', '-i', `file:${request.input}`, '-map', '0:v:0', '-vf', filters.join(','), '-r', info.frameRate, '-f', 'rawvideo', '-pix_fmt', 'yuv420p', 'pipe:1'],
        streamOptions,
      );
      const encoder = new FfmpegStream(
        this.bins.ffmpeg,
        [
          '-v', 'error', '-nostdin', '-y',
          '-f', 'rawvideo', '-pix_fmt', 'yuv420p', '-s', `${width}x${height}`, '-framerate', info.frameRate, '-i', 'pipe:0',
          '-i', `file:${request.input}`,
          '-map', '0:v:0', '-map', '1:a?', '-c:a', 'copy',
          ...(encodeFilters.length ? ['-vf', encodeFilters.join(',')] : []),
          ...x264OutputArgs(encoding),
          '-movflags', '+faststart',
          `file:${partial}`,
        ],
        streamOptions,
      );
      const frameBytes = width * height * 1.5;
      // Two frames in flight per thread keep every thread busy while the encoder takes the oldest.
      const depth = Math.max(1, 2 * this.markingThreads);
      const inFlight: Promise<Buffer>[] = [];
      let frames = 0;
      try {
        for await (const frame of decoder.frames(frameBytes)) {
          const marked = marker.mark(frame);
          marked.catch(() => undefined); // awaited below, in order; must not count as unhandled meanwhile
          inFlight.push(marked);
          frames++;
          if (inFlight.length >= depth) await encoder.write(await inFlight.shift()!);
        }
        while (inFlight.length > 0) await encoder.write(await inFlight.shift()!);
        if (frames === 0) {
          await decoder.done();
          throw new WatermarkInputError('NO_FRAMES', `${request.input} decoded to no frames`);
        }
        encoder.endInput();
        await decoder.done();
        await encoder.done();
      } catch (err) {
        decoder.kill('ABORTED', 'embedding failed');
        encoder.kill('ABORTED', 'embedding failed');
        await Promise.allSettled([decoder.done(), encoder.done()]);
        throw err;
      }
      await rename(partial, request.output);
      return {
        output: request.output,
        width,
        height,
        frames,
        frameRate: info.frameRate,
        audioCopied: info.hasAudio,
        visibleLabel: label !== null,
        encoding: { ...encoding },
        elapsedMs: Date.now() - started,
        markingMs: Math.round(marker.markingMs),
        markingThreads: this.markingThreads,
      };
    } finally {
      await marker.close();
      await rm(partial, { force: true });
      await rm(scratch, { recursive: true, force: true });
    }
  }
}
