/**
 * The time one frame before or after `current`, kept inside the clip. It
 * lands in the middle of the target frame, so rounding in the decoder never
 * shows the neighbouring one.
 */
export function frameStepTime(current: number, frameRate: number, step: -1 | 1, duration: number): number {
  const frame = 1 / frameRate;
  const index = Math.floor(current / frame + 1e-6) + step;
  const lastIndex = Math.max(0, Math.floor(duration / frame + 1e-6) - 1);
  const clamped = Math.min(Math.max(index, 0), lastIndex);
  return (clamped + 0.5) * frame;
}

export const PLAYBACK_RATES = [0.25, 0.5, 1, 1.5, 2] as const;
