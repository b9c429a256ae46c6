import { canonicalJson } from './canonical-json';
import { AuditEventError, CanonicalJsonError } from './errors';
import { hashLeaf } from './tree-hash';

/** One row of the audit_events table, as the engine hashes it. */
export interface AuditEvent {
  /** 1-based and gap-free: the event is leaf `seq - 1` of the tree. */
  seq: number;
  /** RFC 3339 UTC text (up to microseconds, as Postgres keeps it) or a Date. */
  at: string | Date;
  actor: string;
  action: string;
  subjectType: string;
  subjectId: string;
  /** Plain JSON data (references and hashes; no personal data). */
  body: Record<string, unknown>;
}

/**
 * The leaf data of an event: RFC 8785 canonical JSON of every field except
 * `seq`, UTF-8 encoded. `seq` is left out on purpose: the tree position
 * already fixes it (leaf index = seq − 1), and keeping content and position
 * apart is what lets a verifier tell a moved entry from an altered one.
 */
export function encodeAuditEvent(event: AuditEvent): Buffer {
  if (typeof event !== 'object' || event === null) throw new AuditEventError('an audit event must be an object');
  const fields = {
    action: requireText(event, 'action'),
    actor: requireText(event, 'actor'),
    at: canonicalTimestamp(event.at),
    body: requireBody(event.body),
    subjectId: requireText(event, 'subjectId'),
    subjectType: requireText(event, 'subjectType'),
  };
  try {
    return Buffer.from(canonicalJson(fields), 'utf8');
  } catch (error) {
    if (error instanceof CanonicalJsonError) throw new AuditEventError(`event body is not canonical JSON data: ${error.message}`);
    throw error;
  }
}

export function auditEventLeafHash(event: AuditEvent): Buffer {
  return hashLeaf(encodeAuditEvent(event));
}

/**
 * Checks that seq is a safe integer (convert Postgres bigint text first).
 * Zero or negative values are not refused here: in a tampered table they
 * are findings for the verifier to report, not caller bugs.
 */
export function requireSeq(seq: unknown): number {
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) {
    throw new AuditEventError(`seq must be an integer number, got ${JSON.stringify(seq) ?? String(seq)}`);
  }
  return seq;
}

function requireText(event: AuditEvent, field: 'actor' | 'action' | 'subjectType' | 'subjectId'): string {
  const value: unknown = event[field];
  if (typeof value !== 'string' || value.length === 0) throw new AuditEventError(`${field} must be a non-empty string`);
  return value;
}

function requireBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AuditEventError('body must be a JSON object');
  }
  return body as Record<string, unknown>;
}

// Postgres text output (' ' separator, '+00') and RFC 3339 ('T', 'Z') both accepted; only UTC.
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:Z|\+00(?::?00)?)$/;

/**
 * `YYYY-MM-DDTHH:MM:SS.ffffffZ`: one spelling per instant at Postgres'
 * microsecond precision, so text read back from timestamptz and the value
 * hashed at append time agree.
 */
export function canonicalTimestamp(at: string | Date): string {
  if (at instanceof Date) {
    if (Number.isNaN(at.getTime())) throw new AuditEventError('at is an invalid Date');
    return canonicalTimestamp(at.toISOString());
  }
  const match = typeof at === 'string' ? TIMESTAMP.exec(at) : null;
  if (!match) throw new AuditEventError(`at must be a UTC RFC 3339 timestamp, got ${JSON.stringify(at) ?? String(at)}`);
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  const check = new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second));
  if (
    check.getUTCFullYear() !== +year ||
    check.getUTCMonth() !== +month - 1 ||
    check.getUTCDate() !== +day ||
    check.getUTCHours() !== +hour ||
    check.getUTCMinutes() !== +minute
  ) {
    throw new AuditEventError(`at is not a real calendar time: ${at}`);
  }
  return `${year}-${month}-${day}T${hour}:${minute}:${second}.${fraction.padEnd(6, '0')}Z`;
}
