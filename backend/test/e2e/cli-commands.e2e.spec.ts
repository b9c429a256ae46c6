import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../../src/engines/media';
import { startStack, type Stack } from '../support/stack';

const ROOT = resolve(__dirname, '../../..');
const MISSING = '/nonexistent/provenant-cli-commands.mp4';
const UNREACHABLE = { PROVENANT_SERVER: 'http://127.0.0.1:9', PROVENANT_TOKEN: 'x' };
const PASSWORD = 'password-for-cli-tests';

/**
 * A creator's and a reviewer's whole job from the command line, as real
 * processes against a real stack: every command's success, a usage error,
 * a missing file where one is taken, and an unreachable server.
 */
describe('provenant CLI commands', () => {
  let stack: Stack;
  let dir: string;
  let clip: string;
  let admin: Record<string, string>;
  const run = (args: string[], env: Record<string, string>) => {
    const r = spawnSync('npx', ['--no-install', 'provenant', ...args], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
  };
  const as = (email: string) => ({ PROVENANT_SERVER: stack.baseUrl, PROVENANT_EMAIL: email, PROVENANT_PASSWORD: PASSWORD });

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = { PROVENANT_SERVER: stack.baseUrl, PROVENANT_EMAIL: stack.admin.email, PROVENANT_PASSWORD: stack.admin.password };
    dir = await mkdtemp(join(tmpdir(), 'cli-commands-'));
    clip = join(dir, 'harbour.mp4');
    await runProcess(
      resolveFfmpegBinaries().ffmpeg,
      ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25', '-f', 'lavfi', '-i', 'sine=frequency=440', '-t', '3', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip],
      { timeoutMs: 60_000 },
    );
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a clip from upload through review to a signed download, and administers accounts, keys and the policy', async () => {
    // users create / keys create
    const creatorEmail = `cli-creator-${Date.now()}@provenant.test`;
    const reviewerEmail = `cli-reviewer-${Date.now()}@provenant.test`;
    const creator = run(['users', 'create', '--new-email', creatorEmail, '--roles', 'creator', '--new-password', PASSWORD, '--json'], admin);
    expect({ code: creator.code, stderr: creator.stderr }).toEqual({ code: 0, stderr: '' });
    const reviewer = run(['users', 'create', '--new-email', reviewerEmail, '--roles', 'reviewer', '--json'], { ...admin, PROVENANT_NEW_PASSWORD: PASSWORD });
    expect(reviewer.code).toBe(0);
    expect(run(['users', 'create', '--new-email', 'x@provenant.test', '--roles', 'root', '--new-password', PASSWORD], admin)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^provenant: --roles: root is not a role/) });
    expect(run(['users', 'create', '--new-email', 'x@provenant.test', '--roles', 'creator', '--new-password', PASSWORD], UNREACHABLE).code).toBe(3);

    const key = run(['keys', 'create', '--user', creator.json().id, '--name', 'cli test', '--json'], admin);
    expect(key.code).toBe(0);
    expect(key.json()).toMatchObject({ key: expect.stringMatching(/^pvk_/) });
    expect(run(['keys', 'create', '--user', 'nobody', '--name', 'x'], admin).code).toBe(2);

    // clips upload / watch / list, with the creator's API key
    const withKey = { PROVENANT_SERVER: stack.baseUrl, PROVENANT_TOKEN: key.json().key };
    const uploaded = run(['clips', 'upload', clip, '--prompt', 'a harbour test card', '--generator', 'cli-test', '--json'], withKey);
    expect({ code: uploaded.code, stderr: uploaded.stderr }).toEqual({ code: 0, stderr: '' });
    const id = uploaded.json().id as string;
    expect(run(['clips', 'upload', MISSING], withKey)).toMatchObject({ code: 2, stderr: `provenant: cannot read ${MISSING}: ENOENT\n` });
    expect(run(['clips', 'upload', clip], UNREACHABLE).code).toBe(3);
    // On a terminal (a pseudo-terminal from util-linux `script`) the upload draws its progress, ending at 100 %.
    const onTty = spawnSync('script', ['-qec', `npx --no-install provenant clips upload '${clip}' --prompt 'on a terminal'`, '/dev/null'], {
      cwd: ROOT,
      env: { ...process.env, ...withKey },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect(onTty.status).toBe(0);
    expect(onTty.stdout).toMatch(/harbour\.mp4 \[#{20}\] 100%  \d+\.\d\/\d+\.\d MB\r?\n[0-9a-f-]{36} (QUEUED|ANALYZING)/);

    const watched = run(['clips', 'watch', id, '--json'], withKey);
    expect({ code: watched.code, state: watched.json().state }).toEqual({ code: 0, state: 'AWAITING_REVIEW' });
    expect(watched.stdout.trim().split('\n')).toHaveLength(1);
    expect(run(['clips', 'watch', 'not-an-id'], withKey).code).toBe(2);

    const listed = run(['clips', 'list', '--state', 'AWAITING_REVIEW', '--json'], withKey);
    expect(listed.json().items.map((c: { id: string }) => c.id)).toContain(id);
    expect(run(['clips', 'list', '--state', 'SOMEWHERE'], withKey)).toMatchObject({ code: 2, stderr: 'provenant: --state: not a clip state: SOMEWHERE\n' });
    expect(run(['clips', 'list'], UNREACHABLE).code).toBe(3);

    // review queue / claim / decide
    const rev = as(reviewerEmail);
    expect(run(['review', 'queue', '--json'], rev).json().items.map((i: { clipId: string }) => i.clipId)).toContain(id);
    expect(run(['review', 'queue'], withKey).code).toBe(4); // a creator's key may not see the queue
    expect(run(['review', 'claim', id, '--json'], rev)).toMatchObject({ code: 0 });
    expect(run(['review', 'claim', 'nope'], rev).code).toBe(2);
    const badReason = run(['review', 'decide', id, '--approve', '--reason', 'BECAUSE'], rev);
    expect(badReason).toMatchObject({ code: 2, stderr: expect.stringMatching(/^provenant: --reason: BECAUSE is not a reason to approve; one of APPROVE_/) });
    expect(run(['review', 'decide', id, '--approve', '--reject', '--reason', 'APPROVE_POLICY_COMPLIANT'], rev).code).toBe(2);
    const decided = run(['review', 'decide', id, '--approve', '--reason', 'APPROVE_POLICY_COMPLIANT', '--note', 'looks fine', '--json'], rev);
    expect({ code: decided.code, final: decided.json().final }).toEqual({ code: 0, final: true });
    expect(run(['review', 'decide', id, '--approve', '--reason', 'APPROVE_POLICY_COMPLIANT'], UNREACHABLE).code).toBe(3);

    // clips download, once released
    // spawnSync blocked this process's event loop, so fetch may still hold a keep-alive socket the api has
    // since closed: this request takes that hit, so the ones that matter go out on a fresh connection.
    await stack.call('/health/live').catch(() => undefined);
    const adminToken = await stack.login();
    await stack.waitForState(id, adminToken, ['RELEASED'], 120_000);
    const out = join(dir, 'released.mp4');
    const downloaded = run(['clips', 'download', id, '--out', out, '--json'], withKey);
    expect({ code: downloaded.code, signed: downloaded.json().signed }).toEqual({ code: 0, signed: true });
    expect(existsSync(out)).toBe(true);
    expect(run(['clips', 'download', '00000000-0000-4000-8000-000000000000', '--out', join(dir, 'x.mp4')], withKey).code).toBe(2);
    expect(run(['clips', 'download', id, '--out', '/nonexistent/dir/x.mp4'], withKey)).toMatchObject({ code: 2, stderr: expect.stringMatching(/^provenant: cannot write /) });

    // policy get / set
    const current = run(['policy', 'get', '--json'], admin);
    expect(current.code).toBe(0);
    const next = join(dir, 'policy.json');
    await writeFile(next, JSON.stringify({ ...current.json().document, version: `${current.json().version}-cli` }));
    expect(run(['policy', 'set', next, '--json'], admin).json()).toMatchObject({ version: `${current.json().version}-cli` });
    await writeFile(join(dir, 'broken.json'), '{ not json');
    expect(run(['policy', 'set', join(dir, 'broken.json')], admin).code).toBe(2);
    expect(run(['policy', 'set', MISSING], admin).code).toBe(2);
    expect(run(['policy', 'get'], UNREACHABLE).code).toBe(3);

    // users disable / enable, keys revoke
    const reviewerId = reviewer.json().id as string;
    expect(run(['users', 'disable', reviewerId, '--json'], admin).json()).toMatchObject({ disabledAt: expect.any(String) });
    expect(run(['review', 'queue'], rev).code).toBe(4);
    expect(run(['users', 'enable', reviewerId, '--json'], admin).json()).toMatchObject({ disabledAt: null });
    expect(run(['users', 'disable', 'nope'], admin).code).toBe(2);
    expect(run(['keys', 'revoke', key.json().id, '--json'], admin).code).toBe(0);
    expect(run(['clips', 'list'], withKey).code).toBe(4);
    expect(run(['keys', 'revoke', key.json().id], admin).code).toBe(2); // 404: no active key
  }, 600_000);
});
