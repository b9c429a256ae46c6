// Compiled by audit-catalogue.type.spec.ts, never run: each line marked EXPECT-ERROR must not compile.
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../../src/modules/audit/audit-log';

declare const m: EntityManager;
const audit = new AuditLog();

export async function appends(): Promise<void> {
  await audit.append(m, { actor: 'worker', action: 'review.claim_returned', subjectType: 'clip', subjectId: 'c', body: { round: 1 } });
  await audit.append(m, { actor: 'worker', action: 'review.not_in_catalogue', subjectType: 'clip', subjectId: 'c', body: { round: 1 } }); // EXPECT-ERROR
  await audit.append(m, { actor: 'worker', action: 'review.claim_returned', subjectType: 'clip', subjectId: 'c', body: { round: '1' } }); // EXPECT-ERROR
  await audit.append(m, { actor: 'worker', action: 'review.claim_returned', subjectType: 'user', subjectId: 'c', body: { round: 1 } }); // EXPECT-ERROR
  await audit.append(m, { actor: 'worker', action: 'review.claim_returned', subjectType: 'clip', subjectId: 'c', body: { round: 1, extra: true } }); // EXPECT-ERROR
}
