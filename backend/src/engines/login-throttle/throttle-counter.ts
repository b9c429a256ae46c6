/**
 * Failed sign-ins counted for one key (an account or a client network), in a
 * fixed window that starts at the first failure. An attempt is counted when
 * it is admitted, before its password is checked, so parallel attempts cannot
 * all slip in before the first failure is recorded; a success gives it back.
 */
export interface ThrottleCounter {
  /** Attempts admitted in this window and not given back by a success. */
  failures: number;
  windowStartedAt: Date;
  /** No attempt is admitted before this: an exponential delay, or the lockout once failures reach the limit. */
  retryAt: Date | null;
  /** The failure that reached the limit was recorded at this time: the lockout started (and was audited). */
  lockedAt: Date | null;
}

export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockoutMs: number;
  /** The wait after the first delayed failure, doubling with each further one; 0: no delays, only the lockout. */
  delayBaseMs: number;
}

/** A person mistyping a few times never waits. */
export const FAILURES_BEFORE_DELAY = 3;

export type Admission = { admitted: true; counter: ThrottleCounter } | { admitted: false; retryAt: Date };

/** Admits one more attempt and counts it, or says when the next one may come. */
export function admit(counter: ThrottleCounter | null, rule: ThrottleRule, now: Date): Admission {
  if (counter?.retryAt && counter.retryAt > now) return { admitted: false, retryAt: counter.retryAt };
  // A window that ran out, or a lockout that was served, starts a new window.
  const fresh = !counter || now.getTime() >= counter.windowStartedAt.getTime() + rule.windowMs || counter.failures >= rule.maxFailures;
  const failures = fresh ? 1 : counter.failures + 1;
  const waitMs = failures >= rule.maxFailures ? rule.lockoutMs : delayAfter(failures, rule);
  return {
    admitted: true,
    counter: {
      failures,
      windowStartedAt: fresh ? now : counter.windowStartedAt,
      retryAt: waitMs > 0 ? new Date(now.getTime() + waitMs) : null,
      lockedAt: fresh ? null : counter.lockedAt,
    },
  };
}

/** The admitted attempt failed: when it was the one that reached the limit, the lockout starts now. */
export function recordFailure(counter: ThrottleCounter, rule: ThrottleRule, now: Date): { counter: ThrottleCounter; lockoutStarted: boolean } {
  if (counter.failures < rule.maxFailures || counter.lockedAt) return { counter, lockoutStarted: false };
  return { counter: { ...counter, lockedAt: now }, lockoutStarted: true };
}

/**
 * The admitted attempt succeeded: it is no failure, and whoever signs in from
 * here knows a password, so a pending delay is lifted. A lockout that already
 * started stays.
 */
export function giveBack(counter: ThrottleCounter): ThrottleCounter {
  if (counter.lockedAt) return counter;
  return { ...counter, failures: Math.max(0, counter.failures - 1), retryAt: null };
}

/** After this the counter says nothing any more and may be deleted. */
export function expiresAt(counter: ThrottleCounter, rule: ThrottleRule): Date {
  const windowEnd = counter.windowStartedAt.getTime() + rule.windowMs;
  return new Date(Math.max(windowEnd, counter.retryAt?.getTime() ?? 0));
}

function delayAfter(failures: number, rule: ThrottleRule): number {
  if (rule.delayBaseMs === 0 || failures <= FAILURES_BEFORE_DELAY) return 0;
  return Math.min(rule.delayBaseMs * 2 ** (failures - FAILURES_BEFORE_DELAY - 1), rule.lockoutMs);
}
