import { DEFAULT_MARK_STRENGTH, LumaMarker, luminanceMasking } from './luma-marker';

describe('LumaMarker perceptual mask', () => {
  const [width, height] = [64, 64];
  // A constant pattern: on a flat frame the mark adds the amplitude itself, rounded to a whole level.
  const pattern = new Float32Array(width * height).fill(1);
  const addedOnFlat = (level: number, strength = DEFAULT_MARK_STRENGTH) => {
    const luma = new Uint8Array(width * height).fill(level);
    new LumaMarker(width, height, pattern, strength).mark(luma);
    return luma[(height / 2) * width + width / 2] - level;
  };

  it('masks the least at mid-grey and more towards black and white (JND curve)', () => {
    expect(luminanceMasking(127)).toBeCloseTo(1, 5);
    expect(luminanceMasking(255)).toBeCloseTo(2, 1);
    expect(luminanceMasking(40)).toBeGreaterThan(3);
    for (const [a, b] of [[127, 180], [180, 235], [127, 90], [90, 40]]) expect(luminanceMasking(b)).toBeGreaterThan(luminanceMasking(a));
  });

  it('keeps the flat floor at mid-grey and raises it on bright and dark flat areas, up to the limit', () => {
    const { flatAmplitude, luminanceLimit } = DEFAULT_MARK_STRENGTH;
    expect(addedOnFlat(127)).toBe(Math.round(flatAmplitude));
    // 40: the JND curve says 3.5× mid-grey, 230: 1.8×; both capped at the limit.
    expect(luminanceLimit).toBeGreaterThan(1);
    expect(addedOnFlat(40)).toBe(Math.round(flatAmplitude * luminanceLimit));
    expect(addedOnFlat(230)).toBe(Math.round(flatAmplitude * Math.min(luminanceLimit, luminanceMasking(230))));
    expect(addedOnFlat(230)).toBeGreaterThan(addedOnFlat(127));
  });

  it('with luminance masking off, adds the same floor at every level', () => {
    const off = { ...DEFAULT_MARK_STRENGTH, luminanceLimit: 1 };
    expect(addedOnFlat(40, off)).toBe(addedOnFlat(127, off));
    expect(addedOnFlat(230, off)).toBe(addedOnFlat(127, off));
  });
});
