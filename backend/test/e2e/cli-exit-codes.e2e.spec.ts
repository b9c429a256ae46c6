import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../../src/engines/media';
import { startStack, type Stack } from '../support/stack';

const ROOT = resolve(__dirname, '../../..');
const MISSING = '/nonexistent/provenant-cli-test.mp4';

/**
 * The CLI's one convention, as real processes: 0 success, 1 a negative
 * verdict, 2 usage (flag, missing file, input refused), 3 server or
 * network, 4 authentication; one line on stderr; with --json exactly one
 * JSON object on stdout.
 */
describe('provenant CLI exit codes', () => {
  let stack: Stack;
  let dir: string;
  let clip: string;
  let server: Record<string, string>;
  const run = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync('npx', ['--no-install', 'provenant', ...args], { cwd: ROOT, env: { ...process.env, PROVENANT_WATERMARK_KEY: '', ...env }, encoding: 'utf8', timeout: 120_000 });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  const oneLine = (stderr: string) => expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  const unreachable = { PROVENANT_SERVER: 'http://127.0.0.1:9', PROVENANT_TOKEN: 'x' };

  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    server = { PROVENANT_SERVER: stack.baseUrl, PROVENANT_EMAIL: stack.admin.email, PROVENANT_PASSWORD: stack.admin.password };
    dir = await mkdtemp(join(tmpdir(), 'cli-exit-'));
    clip = join(dir, 'plain.mp4');
    await runProcess(resolveFfmpegBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=320x240:r=25', '-t', '1', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip], { timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('clips: 0 on success, 2 for a missing file or refused input (naming the flag), 3 unreachable, 4 wrong credentials', () => {
    const ok = run(['clips', 'submit', 'a quiet harbour at dawn', '--json'], server);
    expect({ code: ok.code, stderr: ok.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ok.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(ok.stdout)).toMatchObject({ id: expect.any(String) });

    const missing = run(['clips', 'submit', 'x', '--reference-image', MISSING], server);
    expect({ code: missing.code, stderr: missing.stderr.trim() }).toEqual({ code: 2, stderr: `provenant: cannot read ${MISSING}: ENOENT` });
    const refused = run(['clips', 'submit', 'a harbour', '--reference-image', clip], server);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^provenant: server answered 400: --reference-image: /);
    oneLine(refused.stderr);

    expect(run(['clips', 'get', 'not-an-id'], server).code).toBe(2);
    expect(run(['clips', 'get', '00000000-0000-4000-8000-000000000000'], server).code).toBe(2); // 404: the id given is wrong
    const down = run(['clips', 'get', '00000000-0000-4000-8000-000000000000'], unreachable);
    expect({ code: down.code, stderr: down.stderr }).toEqual({ code: 3, stderr: expect.stringMatching(/^provenant: cannot reach http:\/\/127\.0\.0\.1:9/) });
    const wrong = run(['clips', 'get', '00000000-0000-4000-8000-000000000000'], { ...server, PROVENANT_PASSWORD: 'not-the-password' });
    expect({ code: wrong.code, stderr: wrong.stderr.trim() }).toEqual({ code: 4, stderr: 'provenant: login failed: e-mail or password is wrong' });
    expect(run(['clips', 'get', '00000000-0000-4000-8000-000000000000'], { PROVENANT_SERVER: stack.baseUrl }).code).toBe(4);
    expect(run(['clips', 'frobnicate']).code).toBe(2);
  });

  it('verify: the same credentials as every command; unknown origin is a negative verdict (1); 2, 3 as everywhere', () => {
    const online = run(['verify', clip, '--server', stack.baseUrl, '--email', stack.admin.email, '--password', stack.admin.password, '--json']);
    expect(online.stderr).toBe('');
    expect(online.code).toBe(1);
    expect(JSON.parse(online.stdout)).toMatchObject({ origin: { clipId: null } });
    const offline = run(['verify', clip, '--json']);
    expect({ code: offline.code, origin: JSON.parse(offline.stdout).origin.clipId }).toEqual({ code: 1, origin: null });
    expect(run(['verify', MISSING]).code).toBe(2);
    expect(run(['verify', clip, '--server', 'http://127.0.0.1:9', '--token', 'x']).code).toBe(3);
    expect(run(['verify', clip, '--server', stack.baseUrl, '--token', 'not-a-token']).code).toBe(4);
  });

  it('watermark detect: no mark is 1 with no confidence figure, the development key under DATA_DIR is found and named, not a video is 2', async () => {
    const dataDir = join(dir, 'data');
    await mkdir(join(dataDir, 'keys'), { recursive: true });
    const keyFile = join(dataDir, 'keys', 'watermark-key.dev.hex');
    await writeFile(keyFile, `${'5a'.repeat(32)}\n`);
    const none = run(['watermark', 'detect', '--in', clip, '--json'], { DATA_DIR: dataDir });
    expect({ code: none.code, stderr: none.stderr }).toEqual({ code: 1, stderr: '' });
    expect(JSON.parse(none.stdout)).toMatchObject({ found: false, payload: null, confidence: null, key: `key file ${keyFile}` });

    const noKey = run(['watermark', 'detect', '--in', clip], { DATA_DIR: join(dir, 'empty') });
    expect({ code: noKey.code, stderr: noKey.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^provenant: MISSING_KEY: /) });
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'not a video');
    const notVideo = run(['watermark', 'detect', '--in', text], { DATA_DIR: dataDir });
    expect({ code: notVideo.code, stderr: notVideo.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^provenant: NOT_VIDEO: /) });
    expect(run(['watermark', 'detect', '--in', MISSING], { DATA_DIR: dataDir }).code).toBe(2);
  });

  it('watermark embed: marks a copy the detector reads back (0), a bad payload or a missing file is 2 naming it; it needs no server', async () => {
    const dataDir = join(dir, 'embed-data');
    await mkdir(join(dataDir, 'keys'), { recursive: true });
    await writeFile(join(dataDir, 'keys', 'watermark-key.dev.hex'), `${'3c'.repeat(32)}\n`);
    const source = join(dir, 'to-mark.mp4');
    await runProcess(resolveFfmpegBinaries().ffmpeg, ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=s=640x360:r=25', '-t', '2', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', source], { timeoutMs: 60_000 });
    const marked = join(dir, 'marked.mp4');

    const embedded = run(['watermark', 'embed', '--in', source, '--out', marked, '--payload', '0123456789abcdef', '--json'], { DATA_DIR: dataDir });
    expect({ code: embedded.code, stderr: embedded.stderr }).toEqual({ code: 0, stderr: '' });
    expect(embedded.stdout.trim().split('\n')).toHaveLength(1);
    const read = run(['watermark', 'detect', '--in', marked, '--json'], { DATA_DIR: dataDir });
    expect({ code: read.code, found: JSON.parse(read.stdout).found, payload: JSON.parse(read.stdout).payload }).toEqual({ code: 0, found: true, payload: '0123456789abcdef' });

    const badPayload = run(['watermark', 'embed', '--in', source, '--out', join(dir, 'x.mp4'), '--payload', 'xyz'], { DATA_DIR: dataDir });
    expect({ code: badPayload.code, stderr: badPayload.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^provenant: BAD_PAYLOAD: .*16 hex digits/) });
    oneLine(badPayload.stderr);
    const missing = run(['watermark', 'embed', '--in', MISSING, '--out', join(dir, 'y.mp4'), '--payload', '0123456789abcdef'], { DATA_DIR: dataDir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(MISSING);
    oneLine(missing.stderr);
    const noFlag = run(['watermark', 'embed', '--in', source, '--payload', '0123456789abcdef'], { DATA_DIR: dataDir });
    expect({ code: noFlag.code, stderr: noFlag.stderr }).toEqual({ code: 2, stderr: expect.stringContaining('--out') });
  });

  it('moderate: a block is 1, an allow 0, no input 2', () => {
    const block = run(['moderate', '--text', 'I will stab you tonight', '--json']);
    expect({ code: block.code, verdict: JSON.parse(block.stdout).verdict }).toEqual({ code: 1, verdict: 'block' });
    expect(run(['moderate', '--text', 'a lighthouse at dusk', '--json']).code).toBe(0);
    expect(run(['moderate']).code).toBe(2);
    expect(run(['moderate', '--image', MISSING]).code).toBe(2);
  });

  it('audit verify: tampering is 1, but the wrong key or a file that is no export is the operator’s mistake (2), never "tampered"', async () => {
    const token = await stack.login();
    const exportFile = join(dir, 'audit.jsonl');
    const res = await fetch(`${stack.baseUrl}/api/v1/audit/export`, { headers: { authorization: `Bearer ${token}` } });
    await writeFile(exportFile, await res.text());
    const keyFile = join(dir, 'audit.pub.pem');
    await writeFile(keyFile, (await stack.call('/api/v1/audit/public-key')).body);
    const ok = run(['audit', 'verify', '--export', exportFile, '--public-key', keyFile, '--json']);
    expect({ code: ok.code, ok: JSON.parse(ok.stdout).ok }).toEqual({ code: 0, ok: true });

    const otherKey = join(dir, 'other.pub.pem');
    const { generateKeyPairSync } = await import('node:crypto');
    await writeFile(otherKey, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const wrongKey = run(['audit', 'verify', '--export', exportFile, '--public-key', otherKey]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.stderr).toMatch(/^provenant: the export's first checkpoint is not signed by the key in .*: the wrong --public-key/);
    expect(wrongKey.stdout).not.toMatch(/TAMPERED/);
    const notExport = run(['audit', 'verify', '--export', clip, '--public-key', keyFile]);
    expect({ code: notExport.code, stderr: notExport.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^provenant: .*plain\.mp4 is not an audit export/) });
    expect(run(['audit', 'verify', '--export', exportFile, '--public-key', clip]).code).toBe(2);
    expect(run(['audit', 'verify'], unreachable).code).toBe(3);
  });
});
