import { type AuditEvent, auditEventLeafHash, canonicalTimestamp, encodeAuditEvent, requireSeq } from './audit-event';
import { AuditEventError } from './errors';
import { hashLeaf } from './tree-hash';

const event: AuditEvent = {
  seq: 7,
  at: '2025-03-01T12:34:56.123456Z',
  actor: 'user:42',
  action: 'clip.decision',
  subjectType: 'clip',
  subjectId: 'c-1',
  body: { decision: 'approve', reasonCode: 'ok.v1', checks: [1, 2] },
};

describe('audit event encoding', () => {
  it('encodes the fields but not seq as canonical JSON, and hashes it as an RFC 6962 leaf', () => {
    const text =
      '{"action":"clip.decision","actor":"user:42","at":"2025-03-01T12:34:56.123456Z",' +
      '"body":{"checks":[1,2],"decision":"approve","reasonCode":"ok.v1"},"subjectId":"c-1","subjectType":"clip"}';
    expect(encodeAuditEvent(event).toString('utf8')).toBe(text);
    expect(auditEventLeafHash(event)).toEqual(hashLeaf(Buffer.from(text)));
    expect(auditEventLeafHash({ ...event, seq: 8 })).toEqual(auditEventLeafHash(event));
  });

  it('does not depend on the key order of the body', () => {
    const reordered = { ...event, body: { checks: [1, 2], reasonCode: 'ok.v1', decision: 'approve' } };
    expect(auditEventLeafHash(reordered)).toEqual(auditEventLeafHash(event));
  });

  it.each(['actor', 'action', 'subjectType', 'subjectId'] as const)('changes with %s', (field) => {
    expect(auditEventLeafHash({ ...event, [field]: `${event[field]}x` })).not.toEqual(auditEventLeafHash(event));
  });

  it('changes with a microsecond of time and with the body', () => {
    expect(auditEventLeafHash({ ...event, at: '2025-03-01T12:34:56.123457Z' })).not.toEqual(auditEventLeafHash(event));
    expect(auditEventLeafHash({ ...event, body: { ...event.body, decision: 'reject' } })).not.toEqual(auditEventLeafHash(event));
  });

  it('spells one instant one way whether it came as Postgres text, RFC 3339 or a Date', () => {
    expect(canonicalTimestamp('2025-03-01 12:34:56.1+00')).toBe('2025-03-01T12:34:56.100000Z');
    expect(canonicalTimestamp('2025-03-01T12:34:56.100+00:00')).toBe('2025-03-01T12:34:56.100000Z');
    expect(canonicalTimestamp('2025-03-01T12:34:56Z')).toBe('2025-03-01T12:34:56.000000Z');
    expect(canonicalTimestamp(new Date('2025-03-01T12:34:56.100Z'))).toBe('2025-03-01T12:34:56.100000Z');
  });

  it.each([
    ['a non-UTC offset', '2025-03-01T12:34:56+02:00'],
    ['an impossible date', '2025-02-30T00:00:00Z'],
    ['second 60', '2025-03-01T12:34:60Z'],
    ['nanoseconds', '2025-03-01T12:34:56.123456789Z'],
    ['a date without time', '2025-03-01'],
  ])('refuses %s as a timestamp', (_label, at) => {
    expect(() => canonicalTimestamp(at)).toThrow(AuditEventError);
  });

  it('refuses an invalid Date', () => {
    expect(() => canonicalTimestamp(new Date('nope'))).toThrow(/invalid Date/);
  });

  it.each([
    ['an empty actor', { ...event, actor: '' }, /actor must be a non-empty string/],
    ['a missing action', { ...event, action: undefined }, /action must be/],
    ['a body that is an array', { ...event, body: [1] }, /body must be a JSON object/],
    ['a body holding NaN', { ...event, body: { n: NaN } }, /\$\.body\.n/],
    ['a body holding a Date', { ...event, body: { when: new Date() } }, /Date instance/],
  ])('refuses %s', (_label, bad, message) => {
    expect(() => encodeAuditEvent(bad as unknown as AuditEvent)).toThrow(AuditEventError);
    expect(() => encodeAuditEvent(bad as unknown as AuditEvent)).toThrow(message);
  });

  it('checks that sequence numbers are integers, leaving their range to the verifiers', () => {
    expect(requireSeq(1)).toBe(1);
    expect(requireSeq(0)).toBe(0);
    expect(() => requireSeq(1.5)).toThrow(/integer number, got 1.5/);
    expect(() => requireSeq('12')).toThrow(/got "12"/);
    expect(() => requireSeq(2 ** 53)).toThrow(AuditEventError);
  });
});
