import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODERATION_POLICY } from '../engines/moderation/policy/moderation-policy';
import { loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has working local defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.PORT).toBe(3000);
    expect(cfg.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/provenant');
    expect(cfg.ALLOWED_VIDEO_CODECS).toEqual(['h264', 'hevc', 'av1']);
    expect(cfg.GENERATOR).toBe('local');
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT .*got "eighty"/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must be a URL starting with postgres:/],
    [{ REDIS_URL: 'not a url' }, /REDIS_URL/],
    [{ GENERATOR: 'midjourney' }, /GENERATOR/],
    [{ GENERATOR: 'openai' }, /OPENAI_API_KEY is required/],
    [{ NODE_ENV: 'production' }, /JWT_SECRET must be set explicitly/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32/],
    [{ REVIEW_LEASE_SECONDS: '0' }, /REVIEW_LEASE_SECONDS .*got "0"/],
    [{ REVIEW_SLA_HIGH_SECONDS: 'soon' }, /REVIEW_SLA_HIGH_SECONDS/],
    [{ WEBHOOK_MAX_ATTEMPTS: '31' }, /WEBHOOK_MAX_ATTEMPTS/],
    [{ WEBHOOK_TIMEOUT_MS: '5' }, /WEBHOOK_TIMEOUT_MS/],
    [{ MODERATION_PROVIDER: 'perspective' }, /MODERATION_PROVIDER must be "local" or "openai", got "perspective"/],
    [{ MODERATION_PROVIDER: 'openai' }, /MODERATION_PROVIDER=openai needs OPENAI_API_KEY/],
    [{ MODERATION_NSFW_WORKERS: '0' }, /MODERATION_NSFW_WORKERS must be an integer from 1 to 8/],
    [{ MODERATION_POLICY_FILE: '/nonexistent/policy.json' }, /MODERATION_POLICY_FILE=\/nonexistent\/policy.json could not be read/],
    [{ MODERATION_OPENAI_TIMEOUT_MS: '5' }, /MODERATION_OPENAI_TIMEOUT_MS/],
    [{ MODERATION_OPENAI_MAX_RETRIES: '11' }, /MODERATION_OPENAI_MAX_RETRIES/],
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

  it('leases review claims for 10 minutes and sets review SLAs and webhook retries by default', () => {
    const cfg = loadConfig({});
    expect([cfg.REVIEW_LEASE_SECONDS, cfg.REVIEW_SLA_HIGH_SECONDS, cfg.REVIEW_SLA_NORMAL_SECONDS]).toEqual([600, 4 * 3600, 24 * 3600]);
    expect([cfg.WEBHOOK_MAX_ATTEMPTS, cfg.WEBHOOK_BACKOFF_MS, cfg.WEBHOOK_TIMEOUT_MS]).toEqual([8, 10_000, 10_000]);
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

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});
