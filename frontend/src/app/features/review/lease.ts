/** Heartbeats come at least this often, so one lost request never lets a lease lapse. */
const MAX_HEARTBEAT_MS = 60_000;
const MIN_HEARTBEAT_MS = 1_000;

/**
 * How long to wait before the next heartbeat of a lease that expires at
 * `leaseExpiresAt`: a third of what is left (two more tries before it
 * lapses), at most a minute.
 */
export function heartbeatDelayMs(leaseExpiresAt: string, now: number): number {
  const left = Date.parse(leaseExpiresAt) - now;
  return Math.min(MAX_HEARTBEAT_MS, Math.max(MIN_HEARTBEAT_MS, Math.floor(left / 3)));
}
