import { dueText, formatDuration } from './countdown';

describe('countdowns', () => {
  it('reads like a timer', () => {
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(245_000)).toBe('4 min 05 s');
    expect(formatDuration(3 * 3600_000 + 4 * 60_000 + 59_000)).toBe('3 h 04 min');
    expect(formatDuration(-5)).toBe('0 s');
  });

  it('says whether a due time is ahead or past', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(dueText('2026-12-02T12:04:05Z', now)).toBe('due in 4 min 05 s');
    expect(dueText('2026-12-02T11:59:48Z', now)).toBe('overdue by 12 s');
  });
});
