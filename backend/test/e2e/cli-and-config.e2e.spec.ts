import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { startStack, type Stack } from '../support/stack';

const ROOT = resolve(__dirname, '../../..');
const provenant = (args: string[], env: Record<string, string> = {}) =>
  spawnSync('npx', ['--no-install', 'provenant', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });

describe('provenant CLI against a running server', () => {
  let stack: Stack;
  beforeAll(async () => (stack = await startStack({ workers: 1 })));
  afterAll(() => stack?.stop());

  it('submits a prompt and reads the clip back as one JSON object', async () => {
    const env = { PROVENANT_SERVER: stack.baseUrl, PROVENANT_EMAIL: stack.admin.email, PROVENANT_PASSWORD: stack.admin.password };
    const submitted = provenant(['clips', 'submit', 'a lighthouse in a storm', '--json'], env);
    expect(submitted.stderr).toBe('');
    expect(submitted.status).toBe(0);
    const { id } = JSON.parse(submitted.stdout);
    await stack.waitForState(id, await stack.login(), ['AWAITING_REVIEW']);
    const got = provenant(['clips', 'get', id, '--json'], env);
    expect(got.status).toBe(0);
    expect(got.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(got.stdout)).toMatchObject({ id, state: 'AWAITING_REVIEW' });
    const human = provenant(['clips', 'get', id], env);
    expect(human.stdout).toContain('check likeness: ran');
    expect(human.stdout).toContain('check copyright: not_available');
  });

  it('reports errors on stderr with the documented exit codes', () => {
    const noCreds = provenant(['clips', 'get', '00000000-0000-4000-8000-000000000000'], { PROVENANT_SERVER: stack.baseUrl });
    expect(noCreds.status).toBe(4);
    expect(noCreds.stderr).toMatch(/no credentials/);
    expect(noCreds.stdout).toBe('');
    const badLogin = provenant(['clips', 'get', '00000000-0000-4000-8000-000000000000'], { PROVENANT_SERVER: stack.baseUrl, PROVENANT_EMAIL: 'a@b.c', PROVENANT_PASSWORD: 'nope' });
    expect(badLogin.status).toBe(4);
    expect(badLogin.stderr).toMatch(/login failed: e-mail or password is wrong/);
    const missing = provenant(['clips', 'get', '00000000-0000-4000-8000-000000000000'], { PROVENANT_SERVER: stack.baseUrl, PROVENANT_EMAIL: stack.admin.email, PROVENANT_PASSWORD: stack.admin.password });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/404: clip .* not found/);
    const unreachable = provenant(['clips', 'get', '00000000-0000-4000-8000-000000000000'], { PROVENANT_SERVER: 'http://127.0.0.1:9', PROVENANT_TOKEN: 'x' });
    expect(unreachable.stderr).toMatch(/cannot reach http:\/\/127.0.0.1:9/);
    expect(unreachable.status).toBe(3);
    expect(provenant(['clips', 'frobnicate']).status).toBe(2);
  });
});

describe('process start-up configuration', () => {
  it.each([
    ['main-api.js', { PORT: 'eighty' }, /PORT/],
    ['main-worker.js', { REDIS_URL: 'http://nope' }, /REDIS_URL must be a URL starting with redis:/],
    ['main-api.js', { GENERATOR: 'openai' }, /OPENAI_API_KEY is required/],
  ])('%s stops with one line naming the bad setting %o', (entry, env, message) => {
    const run = spawnSync(process.execPath, [join(ROOT, 'backend/dist/src', entry)], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(78);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });
});
