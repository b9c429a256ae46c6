/**
 * A token bucket per key (a caller): `burst` requests at once, refilled at
 * `ratePerMinute`. In memory, per process: with several api processes each
 * enforces the limit on its own share of the traffic.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;

  constructor(
    private readonly options: { ratePerMinute: number; burst: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = options.ratePerMinute / 60_000;
  }

  /** Takes a token for `key`: 0 when granted, else the milliseconds until one is available. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    this.buckets.delete(key); // re-inserted last: the map stays in least-recently-used order
    this.buckets.set(key, bucket);
    this.evictOldest();
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.perMs);
  }

  private evictOldest(): void {
    const max = this.options.maxKeys ?? 10_000;
    for (const key of this.buckets.keys()) {
      if (this.buckets.size <= max) return;
      this.buckets.delete(key);
    }
  }
}
