import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { CheckpointSigner, generateDevelopmentKey } from '../src/engines/merkle-log';
import { AuditLog } from '../src/modules/audit/audit-log';
import { AuditLogIntegrator } from '../src/modules/audit/audit-log-integrator';

/**
 * One of the audit bench's writer processes (run as a child by
 * audit-log.bench.ts): `writers` concurrent loops, each committing
 * `perWriter` transactions of one audit event ("audit") or of one plain row
 * ("plain", the baseline). In "audit" mode the process also runs the
 * integrator on its interval, as every api and worker process does.
 * Prints one JSON line: { transactions, ms }.
 */
async function main(): Promise<void> {
  const [url, mode, writers, perWriter] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
  const ds = await new DataSource({ type: 'postgres', url, extra: { max: writers + 2 } }).initialize();
  const config = { ...loadConfig({}), AUDIT_LOG_ORIGIN: 'bench.provenant/audit' };
  const integrator = new AuditLogIntegrator(ds, CheckpointSigner.fromPrivateKeyPem(generateDevelopmentKey().privateKeyPem), config);
  const log = new AuditLog();
  // Wait for the parent's go, so that both processes start together.
  await new Promise<void>((r) => process.stdin.once('data', () => r()));
  if (mode === 'audit') integrator.onApplicationBootstrap();
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let i = 0; i < perWriter; i++) {
        const subjectId = `${process.pid}-${w}-${i}`;
        await ds.transaction((m) =>
          mode === 'audit'
            ? log.append(m, { actor: 'worker', action: 'clip.transition', subjectType: 'clip', subjectId, body: { from: 'ANALYZING', to: 'AWAITING_REVIEW', reason: null } })
            : m.query(`INSERT INTO baseline_events (at, actor, action, subject_type, subject_id, body) VALUES ($1, 'worker', 'clip.transition', 'clip', $2, '{}')`, [new Date(), subjectId]),
        );
      }
    }),
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  integrator.onApplicationShutdown();
  await ds.destroy();
  process.stdout.write(`${JSON.stringify({ transactions: writers * perWriter, ms })}\n`);
}

main().catch((err) => {
  process.stderr.write(`audit writer failed: ${(err as Error).stack}\n`);
  process.exit(1);
});
