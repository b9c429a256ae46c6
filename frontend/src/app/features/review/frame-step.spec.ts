import { frameStepTime } from './frame-step';

describe('frameStepTime', () => {
  it('moves one frame and lands mid-frame', () => {
    expect(frameStepTime(0, 25, 1, 4)).toBeCloseTo(0.06);
    expect(frameStepTime(1.0, 25, 1, 4)).toBeCloseTo(1.06);
    expect(frameStepTime(1.02, 25, -1, 4)).toBeCloseTo(0.98);
  });

  it('stays inside the clip', () => {
    expect(frameStepTime(0.01, 25, -1, 4)).toBeCloseTo(0.02);
    expect(frameStepTime(3.99, 25, 1, 4)).toBeCloseTo(3.98);
  });
});
