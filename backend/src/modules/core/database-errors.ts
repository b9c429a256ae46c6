/**
 * Telling "the database cannot be reached right now" apart from every other
 * database error. The first is an outage: callers wait and try again (a
 * stage job is deferred without spending an attempt, the api answers 503);
 * the others are a fault of the query or the data and are handled as such.
 */

/** Socket errors (Node's `code`) that mean the peer cannot be reached, in a few stable words. */
const SOCKET_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ETIMEDOUT: 'timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host not found',
};

/**
 * SQLSTATEs of the server going away. Class 08 is listed code by code: 08P01
 * (protocol violation) is what a wrong number of bind parameters returns, a
 * programming error that must fail, not wait for a database that is there.
 */
const SQLSTATE_REASONS: Readonly<Record<string, string>> = {
  '08000': 'connection failure', // connection_exception
  '08001': 'connection failure', // sqlclient_unable_to_establish_sqlconnection
  '08003': 'connection failure', // connection_does_not_exist
  '08004': 'connection refused', // sqlserver_rejected_establishment_of_sqlconnection
  '08006': 'connection failure', // connection_failure
  '57P01': 'server shutting down', // admin_shutdown: terminated by pg_ctl stop or pg_terminate_backend
  '57P02': 'server crashed', // crash_shutdown
  '57P03': 'server not accepting connections', // cannot_connect_now: starting up, shutting down, in recovery
};

/** node-postgres and pg-pool report a lost or unobtainable connection by message only (no code). */
const PG_MESSAGE_REASONS: readonly [RegExp, string][] = [
  [/^Connection terminated due to connection timeout/, 'timed out'],
  [/^timeout exceeded when trying to connect/, 'timed out'],
  [/^Connection terminated/, 'connection terminated'],
  [/^Client has encountered a connection error and is not queryable/, 'connection terminated'],
];

/** The reason a socket error says the peer is unreachable, or null. */
export function socketErrorReason(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (SOCKET_REASONS[code] ?? null) : null;
}

/**
 * Why Postgres cannot be reached, in a few stable words ("connection
 * refused", "server shutting down", "timed out"), or null when `err` is not
 * about reaching it. Looks at the error and, for TypeORM's QueryFailedError,
 * the driver error it wraps; never at a `cause` chain, where an HTTP
 * client's "fetch failed" caused by ECONNREFUSED would be mistaken for the
 * database (that is a provider outage, retried as a stage failure).
 */
export function databaseUnavailableReason(err: unknown): string | null {
  for (const e of [err, (err as { driverError?: unknown } | null)?.driverError]) {
    if (!e || typeof e !== 'object') continue;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      if (SQLSTATE_REASONS[code]) return SQLSTATE_REASONS[code];
    }
    const socket = socketErrorReason(e);
    if (socket) return socket;
    const message = (e as { message?: unknown }).message;
    if (typeof message === 'string') {
      const match = PG_MESSAGE_REASONS.find(([pattern]) => pattern.test(message));
      if (match) return match[1];
    }
  }
  return null;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return databaseUnavailableReason(err) !== null;
}

const RETRY_FIRST_MS = 500;
const RETRY_MAX_MS = 5000;

/** How long to wait before trying the database again after `retries` tries that found it unavailable: doubling, capped at a few seconds. */
export function databaseRetryDelayMs(retries: number): number {
  return Math.min(RETRY_FIRST_MS * 2 ** Math.max(0, retries), RETRY_MAX_MS);
}
