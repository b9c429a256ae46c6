import { TokenBuckets } from './token-buckets';

describe('TokenBuckets', () => {
  let now = 0;
  const clock = () => now;

  it('grants a burst, then one request per refill interval, and says how long to wait', () => {
    now = 0;
    const buckets = new TokenBuckets({ ratePerMinute: 60, burst: 3 }, clock);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(1000);
    now = 400;
    expect(buckets.take('a')).toBe(600);
    now = 1000;
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBe(1000);
  });

  it('keeps callers apart and never refills above the burst', () => {
    now = 0;
    const buckets = new TokenBuckets({ ratePerMinute: 6, burst: 2 }, clock);
    expect([buckets.take('a'), buckets.take('a')]).toEqual([0, 0]);
    expect(buckets.take('a')).toBeGreaterThan(0);
    expect(buckets.take('b')).toBe(0);
    now = 10 * 60_000;
    expect([buckets.take('b'), buckets.take('b'), buckets.take('b')].map((w) => w === 0)).toEqual([true, true, false]);
  });

  it('forgets the least recently seen callers past maxKeys (they start again with a full bucket)', () => {
    now = 0;
    const buckets = new TokenBuckets({ ratePerMinute: 1, burst: 1, maxKeys: 2 }, clock);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('b')).toBe(0);
    expect(buckets.take('c')).toBe(0);
    expect(buckets.take('b')).toBeGreaterThan(0); // still remembered
    expect(buckets.take('a')).toBe(0); // evicted, so full again
  });
});
