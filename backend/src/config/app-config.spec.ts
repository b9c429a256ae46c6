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

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '' }).PORT).toBe(3000);
  });
});
