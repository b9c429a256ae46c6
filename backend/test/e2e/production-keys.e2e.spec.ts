import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeDevelopmentPki } from '../../src/engines/c2pa';
import { generateDevelopmentKey } from '../../src/engines/merkle-log';
import { startStack, type Stack } from '../support/stack';

const DIST = resolve(__dirname, '../../dist/src');
const PRODUCTION = { NODE_ENV: 'production', JWT_SECRET: randomBytes(32).toString('hex'), PROVENANT_ADMIN_PASSWORD: 'admin-password-for-tests' };

/** NODE_ENV=production never generates a development key: every key must be given, or the process does not start. */
describe('production keys', () => {
  it.each(['main-api.js', 'main-worker.js', 'launcher.js'])('%s refuses to start without them: one line naming each missing setting, exit 78, no key files', (entry) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'provenant-prod-'));
    try {
      const run = spawnSync(process.execPath, [join(DIST, entry)], { env: { ...process.env, ...PRODUCTION, DATA_DIR: dataDir }, encoding: 'utf8', timeout: 30_000 });
      expect(run.status).toBe(78);
      expect(run.stderr.trim().split('\n')).toEqual([
        'provenant: invalid configuration: AUDIT_SIGNING_KEY_FILE, PROVENANT_WATERMARK_KEY or WATERMARK_KEY_FILE, C2PA_KEY_PATH, C2PA_CERT_CHAIN_PATH, WEBHOOK_SECRET_KEY, LIKENESS_TEMPLATE_KEY, PSEUDONYM_KEY must be set explicitly when NODE_ENV=production, which generates no development keys (got missing)',
      ]);
      expect(existsSync(join(dataDir, 'keys'))).toBe(false);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  describe('with every key given', () => {
    let stack: Stack;
    const keyDir = mkdtempSync(join(tmpdir(), 'provenant-prod-keys-'));
    const auditKey = generateDevelopmentKey();
    beforeAll(async () => {
      const c2pa = await writeDevelopmentPki(join(keyDir, 'c2pa'));
      writeFileSync(join(keyDir, 'audit.pem'), auditKey.privateKeyPem, { mode: 0o600 });
      stack = await startStack({
        workers: 0,
        env: {
          ...PRODUCTION,
          AUDIT_SIGNING_KEY_FILE: join(keyDir, 'audit.pem'),
          PROVENANT_WATERMARK_KEY: randomBytes(32).toString('hex'),
          C2PA_KEY_PATH: c2pa.signerKeyPath,
          C2PA_CERT_CHAIN_PATH: c2pa.signerCertificateChainPath,
          C2PA_TRUST_ANCHORS_PATH: c2pa.caCertificatePath,
          WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
          LIKENESS_TEMPLATE_KEY: randomBytes(32).toString('hex'),
          PSEUDONYM_KEY: randomBytes(32).toString('hex'),
        },
      });
    });
    afterAll(async () => {
      await stack?.stop();
      rmSync(keyDir, { recursive: true, force: true });
    });

    it('starts, signs the audit log with the given key, and writes no development key', async () => {
      const token = await stack.login();
      expect((await stack.call('/api/v1/auth/me', { token })).status).toBe(200);
      expect(String((await stack.call('/api/v1/audit/public-key')).body).trim()).toBe(auditKey.publicKeyPem.trim());
      expect(existsSync(join(stack.env.DATA_DIR, 'keys'))).toBe(false);
    });
  });
});
