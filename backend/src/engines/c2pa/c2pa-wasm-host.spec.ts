import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpegBinaries, runProcess } from '../media';
import { WorkerFailedError } from './c2pa-errors';
import { C2paWasmHost } from './c2pa-wasm-host';
import { readerContextJson } from './manifest-reader';

describe('C2paWasmHost', () => {
  let dir: string;
  let clip: string;
  const context = readerContextJson();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'c2pa-host-'));
    clip = join(dir, 'plain.mp4');
    await runProcess(
      resolveFfmpegBinaries().ffmpeg,
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x120:rate=10', '-t', '1']
        .concat(['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-y', clip]),
      { timeoutMs: 30_000 },
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps a worker while its wasm memory stays under the budget and recycles it once past', async () => {
    const roomy = new C2paWasmHost();
    try {
      expect(await roomy.read({ path: clip }, context)).toEqual({ kind: 'absent' });
      expect(await roomy.read({ bytes: await readFile(clip) }, context)).toEqual({ kind: 'absent' });
      expect(roomy.workersStarted).toBe(1);
      expect(roomy.peakWasmMemoryBytes).toBeGreaterThan(1024 * 1024);
    } finally {
      await roomy.close();
    }

    const tight = new C2paWasmHost({ recycleAboveWasmBytes: 1024 * 1024 });
    try {
      await tight.read({ path: clip }, context);
      await tight.read({ path: clip }, context);
      expect(tight.workersStarted).toBe(2);
    } finally {
      await tight.close();
    }
  });

  it('kills a job that overruns its deadline and serves the next one from a fresh worker', async () => {
    const host = new C2paWasmHost({ jobTimeoutMs: 1 });
    try {
      await expect(host.read({ path: clip }, context)).rejects.toThrow(
        new WorkerFailedError('c2pa read job did not finish within 1 ms'),
      );
    } finally {
      await host.close();
    }
    const patient = new C2paWasmHost();
    try {
      await expect(patient.read({ path: clip }, context)).resolves.toEqual({ kind: 'absent' });
    } finally {
      await patient.close();
    }
  });

  it('runs jobs side by side on several workers and refuses work once closed', async () => {
    const host = new C2paWasmHost({ workers: 2 });
    const results = await Promise.all([1, 2, 3, 4].map(() => host.read({ path: clip }, context)));
    expect(results).toEqual(Array(4).fill({ kind: 'absent' }));
    expect(host.workersStarted).toBe(2);

    const queued = [host.read({ path: clip }, context), host.read({ path: clip }, context), host.read({ path: clip }, context)];
    const settling = Promise.allSettled(queued);
    await host.close();
    const settled = await settling;
    const outcomes = settled.map((s) => (s.status === 'rejected' ? String(s.reason) : 'done'));
    // The two running jobs may just beat the shutdown; the queued one never runs.
    for (const running of outcomes.slice(0, 2)) {
      expect(['done', 'WorkerFailedError: c2pa host closed while the job ran']).toContain(running);
    }
    expect(outcomes[2]).toBe('WorkerFailedError: c2pa host closed before the job ran');
    await expect(host.read({ path: clip }, context)).rejects.toThrow('c2pa host is closed');
  });
});
