import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODERATION_POLICY } from '../engines/moderation';
import { loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working local defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.PORT).toBe(3000);
    expect(cfg.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/provenant');
    expect(cfg.ALLOWED_VIDEO_CODECS).toEqual(['h264', 'hevc', 'av1']);
    expect(cfg.GENERATOR).toBe('local');
    // The release render: veryfast CRF 18 (the watermark engine README has the trade-off), marking on up to 4 threads.
    expect([cfg.WATERMARK_PRESET, cfg.WATERMARK_CRF, cfg.WATERMARK_THREADS]).toEqual(['veryfast', 18, Math.min(4, availableParallelism())]);
    expect(loadConfig({ WATERMARK_THREADS: '0' }).WATERMARK_THREADS).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT .*got "eighty"/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a URL starting with postgres:/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL/],
    [{ GENERATOR: 'midjourney' }, /GENERATOR/],
    [{ GENERATOR: 'openai' }, /OPENAI_API_KEY is required/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET, PROVENANT_ADMIN_PASSWORD, .* must be set explicitly when NODE_ENV=production/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ REVIEW_LEASE_SECONDS: '0' }, /REVIEW_LEASE_SECONDS .*got "0"/],
    [{ REVIEW_SLA_HIGH_SECONDS: 'soon' }, /REVIEW_SLA_HIGH_SECONDS/],
    [{ WEBHOOK_MAX_ATTEMPTS: '31' }, /WEBHOOK_MAX_ATTEMPTS/],
    [{ WEBHOOK_TIMEOUT_MS: '5' }, /WEBHOOK_TIMEOUT_MS/],
    [{ WATERMARK_PRESET: 'placebo' }, /WATERMARK_PRESET .*got "placebo"/],
    [{ WATERMARK_CRF: '52' }, /WATERMARK_CRF .*got "52"/],
    [{ WATERMARK_CRF: '18.5' }, /WATERMARK_CRF/],
    [{ WATERMARK_THREADS: '-1' }, /WATERMARK_THREADS .*got "-1"/],
    [{ WATERMARK_THREADS: '17' }, /WATERMARK_THREADS/],
    [{ MODERATION_PROVIDER: 'perspective' }, /MODERATION_PROVIDER must be "local" or "openai", got "perspective"/],
    [{ MODERATION_PROVIDER: 'openai' }, /MODERATION_PROVIDER=openai needs OPENAI_API_KEY/],
    [{ MODERATION_NSFW_WORKERS: '0' }, /MODERATION_NSFW_WORKERS must be an integer from 1 to 8/],
    [{ MODERATION_POLICY_FILE: '/nonexistent/policy.json' }, /MODERATION_POLICY_FILE=\/nonexistent\/policy.json could not be read/],
    [{ MODERATION_OPENAI_TIMEOUT_MS: '5' }, /MODERATION_OPENAI_TIMEOUT_MS/],
    [{ MODERATION_OPENAI_MAX_RETRIES: '11' }, /MODERATION_OPENAI_MAX_RETRIES/],
    [{ PROVENANT_WATERMARK_KEY: 'abc' }, /PROVENANT_WATERMARK_KEY must be 64 hex digits/],
    [{ WATERMARK_VISIBLE: 'yes' }, /WATERMARK_VISIBLE/],
    [{ WATERMARK_LABEL_OPACITY: '0' }, /WATERMARK_LABEL_OPACITY .*got "0"/],
    [{ WATERMARK_LABEL_SIZE: '0.5' }, /WATERMARK_LABEL_SIZE/],
    [{ C2PA_KEY_PATH: '/keys/signer.pem' }, /C2PA_CERT_CHAIN_PATH is required when C2PA_KEY_PATH is set/],
    [{ C2PA_CERT_CHAIN_PATH: '/keys/chain.pem' }, /C2PA_KEY_PATH is required when C2PA_CERT_CHAIN_PATH is set/],
    [{ C2PA_TSA_URL: 'ftp://tsa.example' }, /C2PA_TSA_URL must be an http\(s\) URL/],
    [{ C2PA_MAX_SIGN_BYTES: '10' }, /C2PA_MAX_SIGN_BYTES/],
    [{ VERIFY_RATE_PER_MINUTE: '0' }, /VERIFY_RATE_PER_MINUTE/],
    [{ WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/8,intranet' }, /WEBHOOK_ALLOWED_NETWORKS entry "intranet" is not an address or CIDR/],
    [{ WEBHOOK_SECRET_KEY: 'abc' }, /WEBHOOK_SECRET_KEY must be 64 hex digits/],
    [{ LIKENESS_TEMPLATE_KEY: 'abc' }, /LIKENESS_TEMPLATE_KEY must be 64 hex digits/],
    [{ PSEUDONYM_KEY: 'abc' }, /PSEUDONYM_KEY must be 64 hex digits/],
    [{ LOGIN_MAX_FAILURES_PER_ACCOUNT: '0' }, /LOGIN_MAX_FAILURES_PER_ACCOUNT .*got "0"/],
    [{ LOGIN_DELAY_BASE_MS: '-1' }, /LOGIN_DELAY_BASE_MS/],
    [{ TRUST_PROXY: 'loopback,proxy.internal' }, /TRUST_PROXY must be a hop count or addresses\/CIDRs .*\("proxy.internal" is none\)/],
    [{ TRUST_PROXY: '10.0.0.0/33' }, /TRUST_PROXY/],
  ])('names the bad setting %o in one line', (env, message) => {
    let error: Error | undefined;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });

  describe('in production', () => {
    const keys = {
      AUDIT_SIGNING_KEY_FILE: '/keys/audit.pem',
      PROVENANT_WATERMARK_KEY: 'ab'.repeat(32),
      C2PA_KEY_PATH: '/keys/c2pa.key',
      C2PA_CERT_CHAIN_PATH: '/keys/c2pa.pem',
      WEBHOOK_SECRET_KEY: 'cd'.repeat(32),
      LIKENESS_TEMPLATE_KEY: 'ef'.repeat(32),
      PSEUDONYM_KEY: 'ef'.repeat(32),
    };
    const production = { NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(32), PROVENANT_ADMIN_PASSWORD: 'a-long-admin-password' };

    it('names every missing key setting in one line instead of generating development keys', () => {
      expect(() => loadConfig(production)).toThrow(
        'invalid configuration: AUDIT_SIGNING_KEY_FILE, PROVENANT_WATERMARK_KEY or WATERMARK_KEY_FILE, C2PA_KEY_PATH, C2PA_CERT_CHAIN_PATH, WEBHOOK_SECRET_KEY, LIKENESS_TEMPLATE_KEY, PSEUDONYM_KEY must be set explicitly when NODE_ENV=production, which generates no development keys (got missing)',
      );
      expect(() => loadConfig({ ...production, ...keys, C2PA_CERT_CHAIN_PATH: '' })).toThrow(/: C2PA_CERT_CHAIN_PATH must be set explicitly/);
    });

    it('starts with every key given, the watermark key either inline or as a file', () => {
      expect(loadConfig({ ...production, ...keys }).NODE_ENV).toBe('production');
      expect(loadConfig({ ...production, ...keys, PROVENANT_WATERMARK_KEY: undefined, WATERMARK_KEY_FILE: '/keys/wm.hex' }).WATERMARK_KEY_FILE).toBe('/keys/wm.hex');
    });
  });

  it('leases review claims for 10 minutes and sets review SLAs and webhook retries by default', () => {
    const cfg = loadConfig({});
    expect([cfg.REVIEW_LEASE_SECONDS, cfg.REVIEW_SLA_HIGH_SECONDS, cfg.REVIEW_SLA_NORMAL_SECONDS]).toEqual([600, 4 * 3600, 24 * 3600]);
    expect([cfg.WEBHOOK_MAX_ATTEMPTS, cfg.WEBHOOK_BACKOFF_MS, cfg.WEBHOOK_TIMEOUT_MS]).toEqual([8, 10_000, 10_000]);
  });

  it('lets webhooks reach public addresses only unless an allow-list names more', () => {
    expect(loadConfig({}).WEBHOOK_ALLOWED_NETWORKS).toEqual([]);
    const allowed = loadConfig({ WEBHOOK_ALLOWED_NETWORKS: '10.20.0.0/16, 127.0.0.1:3200' }).WEBHOOK_ALLOWED_NETWORKS;
    expect(allowed.map((n) => n.text)).toEqual(['10.20.0.0/16', '127.0.0.1:3200']);
    expect(allowed[1].matches('127.0.0.1', 3200)).toBe(true);
  });

  it('moderates locally with the built-in policy by default, and passes the openai timeout and retries on', () => {
    const local = loadConfig({}).moderation;
    expect(local).toMatchObject({ provider: 'local', nsfwWorkers: 1, policy: DEFAULT_MODERATION_POLICY });
    expect(local.openai).toBeUndefined();
    const openai = loadConfig({ MODERATION_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test', MODERATION_OPENAI_TIMEOUT_MS: '1500', MODERATION_OPENAI_MAX_RETRIES: '0' }).moderation;
    expect(openai.openai).toMatchObject({ apiKey: 'sk-test', timeoutMs: 1500, maxRetries: 0, transcriptionModel: undefined });
  });

  it('refuses a policy file that loosens the sexual/minors floor, naming the file variable and the problem in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'policy-'));
    const file = join(dir, 'policy.json');
    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODERATION_POLICY, categories: { ...DEFAULT_MODERATION_POLICY.categories, 'sexual/minors': { review: 0.5, block: 0.9 } } }));
    expect(() => loadConfig({ MODERATION_POLICY_FILE: file })).toThrow(/^invalid configuration: MODERATION_POLICY_FILE invalid moderation policy: categories\.sexual\/minors\.block: must be at most 0\.5[^\n]*$/);
    writeFileSync(file, JSON.stringify({ ...DEFAULT_MODERATION_POLICY, version: 'site-policy.2' }));
    expect(loadConfig({ MODERATION_POLICY_FILE: file }).moderation.policy.version).toBe('site-policy.2');
    rmSync(dir, { recursive: true });
  });

  it('watermarks with a visible label and signs up to 256 MiB by default, with the development keys', () => {
    const cfg = loadConfig({});
    expect([cfg.WATERMARK_VISIBLE, cfg.WATERMARK_LABEL_PLATFORM, cfg.WATERMARK_LABEL_OPACITY, cfg.WATERMARK_LABEL_SIZE]).toEqual(['on', 'Provenant', 0.6, 0.035]);
    expect([cfg.PROVENANT_WATERMARK_KEY, cfg.WATERMARK_KEY_FILE, cfg.C2PA_KEY_PATH, cfg.C2PA_TSA_URL]).toEqual([undefined, undefined, undefined, undefined]);
    expect(cfg.C2PA_MAX_SIGN_BYTES).toBe(256 * 1024 * 1024);
    expect([cfg.VERIFY_RATE_PER_MINUTE, cfg.VERIFY_RATE_BURST]).toEqual([30, 10]);
    expect(loadConfig({ WATERMARK_VISIBLE: 'off', C2PA_TSA_URL: 'http://127.0.0.1:9/tsa' })).toMatchObject({ WATERMARK_VISIBLE: 'off', C2PA_TSA_URL: 'http://127.0.0.1:9/tsa' });
  });

  it('locks an account out after 10 failures in 15 minutes by default, and trusts no proxy unless told', () => {
    const cfg = loadConfig({});
    expect([cfg.LOGIN_MAX_FAILURES_PER_ACCOUNT, cfg.LOGIN_MAX_FAILURES_PER_ADDRESS, cfg.LOGIN_FAILURE_WINDOW_SECONDS, cfg.LOGIN_LOCKOUT_SECONDS]).toEqual([10, 100, 900, 900]);
    expect([cfg.LOGIN_DELAY_BASE_MS, cfg.TRUST_PROXY, cfg.PSEUDONYM_KEY]).toEqual([1000, undefined, undefined]);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::1' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});
