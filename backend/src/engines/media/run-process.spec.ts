import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegBinaries } from './ffmpeg-binaries';
import { MediaProcessError, runProcess } from './run-process';

const node = process.execPath;

async function failure(promise: Promise<unknown>): Promise<MediaProcessError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(MediaProcessError);
  return error as MediaProcessError;
}

describe('runProcess', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-process-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('returns stdout as bytes and stderr as text, passing arguments without a shell', async () => {
    const { stdout, stderr } = await runProcess(
      node,
      ['-e', 'process.stdout.write(process.argv[1]); process.stderr.write("note")', '$(echo injected); rm -rf /'],
      { timeoutMs: 10_000 },
    );
    expect(stdout.toString()).toBe('$(echo injected); rm -rf /');
    expect(stderr).toBe('note');
  });

  it('reports a non-zero exit with the exit code and the end of stderr', async () => {
    const { ffmpeg } = resolveFfmpegBinaries();
    const error = await failure(runProcess(ffmpeg, ['-hide_banner', '-i', join(dir, 'missing.mp4')], { timeoutMs: 10_000 }));
    expect(error.code).toBe('EXIT');
    expect(error.exitCode).toBe(1);
    expect(error.stderrTail).toContain('No such file or directory');
    expect(error.message).toMatch(/^ffmpeg exited with code 1: .*No such file or directory/);
  });

  it('reports a binary that cannot be started', async () => {
    const error = await failure(runProcess(join(dir, 'no-such-binary'), [], { timeoutMs: 10_000 }));
    expect(error.code).toBe('SPAWN');
    expect(error.message).toContain('ENOENT');
  });

  it('kills the whole process group with SIGKILL on timeout', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    // The child ignores SIGTERM and starts a grandchild that would outlive a plain kill.
    const script = `
      process.on('SIGTERM', () => {});
      const g = require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      require('fs').writeFileSync(${JSON.stringify(pidFile)}, String(g.pid));
      setInterval(() => {}, 1000);`;
    const started = Date.now();
    const error = await failure(runProcess(node, ['-e', script], { timeoutMs: 700 }));
    expect(error.code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(5_000);
    const grandchild = Number(await readFile(pidFile, 'utf8'));
    await waitUntilGone(grandchild);
  });

  it('stops on abort, including when the signal is already aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const running = await failure(runProcess(node, ['-e', 'setInterval(() => {}, 1000)'], { timeoutMs: 10_000, signal: controller.signal }));
    expect(running.code).toBe('ABORTED');

    const early = await failure(runProcess(node, ['-e', ''], { timeoutMs: 10_000, signal: AbortSignal.abort() }));
    expect(early.code).toBe('ABORTED');
  });

  it('kills a process that floods stdout beyond the cap', async () => {
    const error = await failure(
      runProcess(node, ['-e', 'const b = Buffer.alloc(65536); for (;;) process.stdout.write(b)'], {
        timeoutMs: 10_000,
        maxStdoutBytes: 100_000,
      }),
    );
    expect(error.code).toBe('OUTPUT_LIMIT');
  });

  it('keeps only the tail of a huge stderr', async () => {
    const { stderr } = await runProcess(
      node,
      ['-e', 'for (let i = 0; i < 20000; i++) process.stderr.write(`line ${i}\\n`)'],
      { timeoutMs: 10_000, maxStderrBytes: 1000 },
    );
    expect(stderr.length).toBeLessThanOrEqual(1000);
    expect(stderr.trimEnd().endsWith('line 19999')).toBe(true);
  });
});

/** A killed process may linger as a zombie until init reaps it; that counts as gone. */
async function waitUntilGone(pid: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const state = await readFile(`/proc/${pid}/stat`, 'utf8').then(
      (stat) => stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3),
      () => 'gone',
    );
    if (state === 'gone' || state === 'Z') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`process ${pid} is still running`);
}
