/** Longest wait before a restart, however many recent crashes: a child that crashed a while ago comes back within this. */
const MAX_RESTART_DELAY_MS = 30_000;

export interface RestartPolicyOptions {
  /** Wait before the first restart; it doubles with each further crash inside the window. */
  delayMs: number;
  /** Restarts allowed inside the window; the crash after them is a crash loop. */
  restarts: number;
  windowMs: number;
}

export type RestartDecision = { restart: true; delayMs: number; recentCrashes: number } | { restart: false; recentCrashes: number };

/** When `npm start` restarts a crashed child, and when it gives up: one policy per child. */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(private readonly options: RestartPolicyOptions) {}

  crashed(now = Date.now()): RestartDecision {
    this.crashes = [...this.crashes.filter((t) => now - t < this.options.windowMs), now];
    const recentCrashes = this.crashes.length;
    if (recentCrashes > this.options.restarts) return { restart: false, recentCrashes };
    return { restart: true, recentCrashes, delayMs: Math.min(this.options.delayMs * 2 ** (recentCrashes - 1), MAX_RESTART_DELAY_MS) };
  }
}
