import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FfmpegBinaries, MediaProcessError, runProcess } from '../media';
import { writeAtomically } from './atomic-output';
import { composeDemoScene } from './demo-scene';
import { GenerationError, GenerationProvider, GenerationRequest, GenerationResult, ReferenceImageType } from './generation-provider';
import { checkReferenceImage } from './reference-image';

export interface LocalDemoGeneratorConfig {
  seconds?: number;
  width?: number;
  height?: number;
  timeoutMs: number;
  /**
   * TrueType font for the prompt caption. Default: the first DejaVu/Liberation
   * font found in the usual system locations; null disables the caption.
   */
  fontFile?: string | null;
}

const FPS = 30;
const MODEL = 'lavfi-demo-1';
const FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
];
const IMAGE_DECODERS: Record<ReferenceImageType, string> = { 'image/png': 'png', 'image/jpeg': 'mjpeg', 'image/webp': 'webp' };

/**
 * A DEMO generator, not a model: it renders an animated lavfi pattern (or a
 * pan-and-zoom over the reference image), a melody and the prompt as a
 * caption, all chosen deterministically from sha256(prompt). It exists so the
 * whole pipeline runs offline; the same prompt yields a byte-identical MP4 on
 * the same ffmpeg build (bit-exact flags, fixed encoder thread count).
 */
export class LocalDemoGenerator implements GenerationProvider {
  readonly name = 'local-demo';
  /** The caption font in use, or null when no font was found (no caption then). */
  readonly fontFile: string | null;
  private readonly seconds: number;
  private readonly width: number;
  private readonly height: number;

  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly config: LocalDemoGeneratorConfig,
  ) {
    this.seconds = config.seconds ?? 4;
    this.width = config.width ?? 1280;
    this.height = config.height ?? 720;
    if (!(this.seconds > 0 && this.seconds <= 60)) throw new RangeError(`seconds must be in (0, 60], got ${this.seconds}`);
    for (const [name, value] of [['width', this.width], ['height', this.height]] as const) {
      if (!Number.isInteger(value) || value % 2 !== 0 || value < 64 || value > 3840) {
        throw new RangeError(`${name} must be an even integer in 64..3840 (H.264 4:2:0 needs even sizes), got ${value}`);
      }
    }
    this.fontFile = config.fontFile === undefined ? (FONT_CANDIDATES.find((path) => existsSync(path)) ?? null) : config.fontFile;
  }

  async generate(req: GenerationRequest): Promise<GenerationResult> {
    if (req.referenceImage) await checkReferenceImage(req.referenceImage);
    const size = { seconds: this.seconds, width: this.width, height: this.height, fps: FPS };
    const scene = composeDemoScene(req.prompt, size, req.referenceImage !== undefined);
    const workDir = await mkdtemp(join(tmpdir(), 'demo-gen-'));
    try {
      const filters = [...scene.filters];
      if (this.fontFile) {
        // textfile + expansion=none: the prompt is never parsed as filter syntax or %{...} expansions.
        const captionFile = join(workDir, 'caption.txt');
        await writeFile(captionFile, wrapCaption(req.prompt, this.width, this.captionFontSize()), 'utf8');
        filters.push(this.drawCaption(captionFile));
      }
      filters.push('format=yuv420p');

      const args = ['-hide_banner', '-nostdin', '-loglevel', 'error'];
      if (req.referenceImage) {
        const decoder = IMAGE_DECODERS[req.referenceImage.mimeType];
        args.push('-f', 'image2', '-pattern_type', 'none', '-c:v', decoder, '-loop', '1', '-framerate', String(FPS));
        args.push('-i', `file:${req.referenceImage.path}`);
      } else {
        args.push('-f', 'lavfi', '-i', scene.source!);
      }
      args.push('-f', 'lavfi', '-i', `aevalsrc=exprs='${scene.audioExpression}|${scene.audioExpression}':s=48000:c=stereo:d=${this.seconds}`);
      args.push('-filter_complex', `[0:v]${filters.join(',')}[v]`, '-map', '[v]', '-map', '1:a');
      args.push('-t', String(this.seconds), '-r', String(FPS));
      // A fixed x264 thread count: frame-threaded x264 output depends on it.
      args.push('-c:v', 'libx264', '-preset', 'veryfast', '-crf', '23', '-profile:v', 'high', '-pix_fmt', 'yuv420p', '-threads:v', '2');
      args.push('-c:a', 'aac', '-b:a', '128k', '-ar', '48000', '-ac', '2');
      args.push('-map_metadata', '-1', '-movflags', '+faststart', '-fflags', '+bitexact', '-flags:v', '+bitexact', '-flags:a', '+bitexact');

      await writeAtomically(req.outputPath, async (tempPath) => {
        await runProcess(this.bins.ffmpeg, [...args, '-f', 'mp4', '-y', `file:${tempPath}`], {
          timeoutMs: this.config.timeoutMs,
          signal: req.signal,
        }).catch((err: unknown) => {
          throw toGenerationError(err);
        });
      });
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    return { provider: this.name, model: MODEL, providerJobId: null, seconds: this.seconds, width: this.width, height: this.height };
  }

  private captionFontSize(): number {
    return Math.max(12, Math.round(this.height / 18));
  }

  private drawCaption(captionFile: string): string {
    const margin = Math.round(this.height / 14);
    return (
      `drawtext=fontfile=${escapeFilterValue(this.fontFile!)}:textfile=${escapeFilterValue(captionFile)}:expansion=none` +
      `:fontsize=${this.captionFontSize()}:fontcolor=white:line_spacing=${Math.round(this.captionFontSize() / 4)}` +
      `:box=1:boxcolor=black@0.45:boxborderw=${Math.round(this.captionFontSize() / 3)}` +
      `:x=(w-text_w)/2:y=h-text_h-${margin}`
    );
  }
}

function toGenerationError(err: unknown): GenerationError {
  if (err instanceof MediaProcessError && err.code === 'TIMEOUT') {
    return new GenerationError('TIMEOUT', `demo generation ${err.message}`, true, { cause: err });
  }
  if (err instanceof MediaProcessError && err.code === 'ABORTED') {
    return new GenerationError('ABORTED', 'demo generation was aborted', true, { cause: err });
  }
  return new GenerationError('PROVIDER_FAILED', `demo generation failed: ${(err as Error).message}`, false, { cause: err });
}

/** Up to three lines of prompt text that fit the frame width; longer prompts end in an ellipsis. */
export function wrapCaption(prompt: string, width: number, fontSize: number): string {
  const perLine = Math.max(8, Math.floor((width * 0.86) / (fontSize * 0.56)));
  const words = prompt.replace(/[\u0000-\u001f\u007f]/g, ' ').trim().split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const word of words) {
    for (let piece = word; piece.length > 0; piece = piece.slice(perLine)) {
      const chunk = piece.slice(0, perLine);
      if (current && current.length + 1 + chunk.length > perLine) {
        lines.push(current);
        current = chunk;
      } else {
        current = current ? `${current} ${chunk}` : chunk;
      }
    }
  }
  if (current) lines.push(current);
  if (lines.length > 3) {
    lines.length = 3;
    lines[2] = `${lines[2].slice(0, perLine - 1)}…`;
  }
  return lines.join('\n');
}

/**
 * Escapes a value for a filter option inside a filter graph: once for the
 * option parser (\ ' :) and once more for the graph parser (\ ' [ ] , ;).
 */
function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, '\\$&');
  return optionLevel.replace(/[\\'[\],;]/g, '\\$&');
}
