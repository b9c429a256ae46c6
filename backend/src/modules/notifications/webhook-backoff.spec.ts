import { webhookBackoffMs } from './webhook-delivery-worker';

describe('webhook retry backoff', () => {
  it('doubles after each failed attempt and stops growing at an hour', () => {
    expect([1, 2, 3, 4].map((n) => webhookBackoffMs(10_000, n))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(webhookBackoffMs(10_000, 20)).toBe(3_600_000);
  });
});
