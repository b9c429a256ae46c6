import { heartbeatDelayMs } from './lease';

describe('heartbeatDelayMs', () => {
  const now = Date.parse('2026-12-02T12:00:00Z');
  const inSeconds = (s: number) => new Date(now + s * 1000).toISOString();

  it('beats at a third of the time left, at most once a minute apart', () => {
    expect(heartbeatDelayMs(inSeconds(600), now)).toBe(60_000);
    expect(heartbeatDelayMs(inSeconds(90), now)).toBe(30_000);
    expect(heartbeatDelayMs(inSeconds(3), now)).toBe(1_000);
    expect(heartbeatDelayMs(inSeconds(-5), now)).toBe(1_000);
  });
});
