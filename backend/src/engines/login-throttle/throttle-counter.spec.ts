import { admit, expiresAt, giveBack, recordFailure, type ThrottleCounter, type ThrottleRule } from './throttle-counter';

const rule: ThrottleRule = { maxFailures: 10, windowMs: 900_000, lockoutMs: 900_000, delayBaseMs: 1000 };
const at = (ms: number) => new Date(Date.UTC(2025, 0, 1) + ms);

/** Admits and fails attempts one after another, each as soon as it is allowed; returns the counter and the waits seen. */
function failRepeatedly(times: number, r: ThrottleRule = rule, start = 0) {
  let counter: ThrottleCounter | null = null;
  let now = start;
  const waits: number[] = [];
  const lockouts: number[] = [];
  for (let i = 1; i <= times; i++) {
    const admission = admit(counter, r, at(now));
    if (!admission.admitted) throw new Error(`attempt ${i} refused`);
    const failed = recordFailure(admission.counter, r, at(now));
    if (failed.lockoutStarted) lockouts.push(i);
    counter = failed.counter;
    const wait = counter.retryAt ? counter.retryAt.getTime() - at(now).getTime() : 0;
    waits.push(wait);
    now += wait;
  }
  return { counter: counter!, waits, lockouts, now };
}

describe('the login throttle counter', () => {
  it('lets three failures pass freely, then doubles the delay, and locks out at the limit, once', () => {
    const { waits, lockouts } = failRepeatedly(10);
    expect(waits).toEqual([0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 900_000]);
    expect(lockouts).toEqual([10]);
  });

  it('refuses every attempt during the lockout, and a served lockout starts a new window', () => {
    const { counter, now } = failRepeatedly(10);
    expect(admit(counter, rule, at(now - 1))).toEqual({ admitted: false, retryAt: at(now) });
    const after = admit(counter, rule, at(now));
    expect(after).toEqual({ admitted: true, counter: { failures: 1, windowStartedAt: at(now), retryAt: null, lockedAt: null } });
  });

  it('counts an attempt when admitting it, so attempts racing past the check still meet the limit', () => {
    const noDelay = { ...rule, delayBaseMs: 0 };
    let counter: ThrottleCounter | null = null;
    const outcomes: boolean[] = [];
    for (let i = 0; i < 40; i++) {
      const admission = admit(counter, noDelay, at(0)); // none has failed yet: all are in flight at once
      outcomes.push(admission.admitted);
      if (admission.admitted) counter = admission.counter;
    }
    expect(outcomes.filter(Boolean)).toHaveLength(10);
    expect(counter?.retryAt).toEqual(at(900_000));
  });

  it('restarts the count when the window runs out', () => {
    const noDelay = { ...rule, delayBaseMs: 0 };
    const { counter } = failRepeatedly(9, noDelay);
    const later = admit(counter, noDelay, at(rule.windowMs));
    expect(later).toMatchObject({ admitted: true, counter: { failures: 1, windowStartedAt: at(rule.windowMs) } });
    const within = admit(counter, noDelay, at(rule.windowMs - 1));
    expect(within).toMatchObject({ admitted: true, counter: { failures: 10 } });
  });

  it('gives a successful attempt back and lifts its delay, but not a lockout that started', () => {
    const { counter } = failRepeatedly(5);
    expect(giveBack(counter)).toEqual({ ...counter, failures: 4, retryAt: null });
    const locked = failRepeatedly(10).counter;
    expect(giveBack(locked)).toBe(locked);
  });

  it('expires when both the window and any wait are over', () => {
    const { counter } = failRepeatedly(10);
    expect(expiresAt(counter, rule)).toEqual(counter.retryAt);
    const short = failRepeatedly(1).counter;
    expect(expiresAt(short, rule)).toEqual(at(rule.windowMs));
  });

  it('never waits longer than a lockout, however high the limit', () => {
    const { waits } = failRepeatedly(60, { ...rule, maxFailures: 100, windowMs: 24 * 3600_000 });
    expect(Math.max(...waits)).toBe(rule.lockoutMs);
  });
});
