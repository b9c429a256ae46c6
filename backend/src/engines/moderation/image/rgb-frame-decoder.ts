import { FfmpegBinaries, runProcess } from '../../media';

/**
 * Decodes images to square RGB24 pixel buffers for the image classifier, all
 * in one ffmpeg process. Every input, whatever its size or format, is
 * squashed to the same square with the same area filter: the classifier is
 * unstable on crops and on inconsistently resampled inputs.
 */
export class RgbFrameDecoder {
  constructor(
    private readonly bins: FfmpegBinaries,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  async decode(paths: readonly string[]): Promise<Uint8Array[]> {
    if (paths.length === 0) return [];
    const frameBytes = this.size * this.size * 3;
    // Each image is its own input, so formats and sizes may differ; all are scaled the same way, then joined.
    const inputs = paths.flatMap((p) => ['-i', `file:${p}`]);
    const scaled = paths.map((_, i) => `[${i}:v]scale=${this.size}:${this.size}:flags=area,setsar=1,format=rgb24[v${i}]`);
    const joined = `${paths.map((_, i) => `[v${i}]`).join('')}concat=n=${paths.length}:v=1:a=0[out]`;
    const { stdout } = await runProcess(
      this.bins.ffmpeg,
      [
        ...['-hide_banner', '-nostdin', '-v', 'error', ...inputs],
        ...['-filter_complex', [...scaled, joined].join(';'), '-map', '[out]'],
        ...['-vsync', 'passthrough', '-f', 'rawvideo', 'pipe:1'],
      ],
      { timeoutMs: this.timeoutMs, maxStdoutBytes: frameBytes * paths.length + 1 },
    );
    if (stdout.length !== frameBytes * paths.length) {
      throw new Error(`ffmpeg decoded ${stdout.length / frameBytes} of ${paths.length} images`);
    }
    return paths.map((_, i) => new Uint8Array(stdout.subarray(i * frameBytes, (i + 1) * frameBytes)));
  }
}
