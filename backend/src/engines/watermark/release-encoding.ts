/**
 * Encoder settings of the release render. The embedder and the "plain
 * re-encode" it is measured against both take their arguments from here, so
 * quality and speed comparisons are like for like.
 */
export const RELEASE_PRESETS = ['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow'] as const;

export interface ReleaseEncoding {
  crf: number;
  preset: (typeof RELEASE_PRESETS)[number];
}

/**
 * veryfast at CRF 18: 42% of medium's encode CPU on a 10 s 720p clip at
 * about the same size; fidelity and the mark's robustness per preset are
 * in the bench (README, "Render speed and release encoding").
 */
export const DEFAULT_RELEASE_ENCODING: Readonly<ReleaseEncoding> = Object.freeze({ crf: 18, preset: 'veryfast' });

/** ffmpeg output options for the video stream. */
export function x264OutputArgs(encoding: ReleaseEncoding): string[] {
  return ['-c:v', 'libx264', '-preset', encoding.preset, '-crf', String(encoding.crf), '-pix_fmt', 'yuv420p'];
}
