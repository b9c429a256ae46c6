import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { SigningFailedError, WorkerFailedError } from './c2pa-errors';
import type { HostMessage, ReadJob, ReadOutcome, SignJob, SignedAsset, WorkerMessage } from './c2pa-worker-protocol';
import { startTypeScriptAwareWorker } from '../threads';

export interface C2paWasmHostOptions {
  /** Worker threads running jobs side by side (default 1). */
  workers?: number;
  /** A job still running after this long has its worker killed (default 10 min). */
  jobTimeoutMs?: number;
  /**
   * Recycle a worker once its wasm memory has grown past this (default
   * 256 MiB): wasm memory only ever grows. Signing always recycles, since
   * it holds the whole output in memory.
   */
  recycleAboveWasmBytes?: number;
}

export type SignClaim = (claim: Uint8Array) => Promise<Uint8Array>;
export type SignJobInput = Omit<SignJob, 'kind' | 'jobId'>;

interface QueuedJob {
  message: SignJob | ReadJob;
  signClaim?: SignClaim;
  resolve: (value: SignedAsset | ReadOutcome) => void;
  reject: (err: Error) => void;
}

let compiledWasm: WebAssembly.Module | undefined;
/** Compiled once per process and handed to each worker, so recycling costs milliseconds. */
function wasmModule(): WebAssembly.Module {
  const pkg = require.resolve('@contentauth/c2pa-wasm/package.json');
  compiledWasm ??= new WebAssembly.Module(readFileSync(join(dirname(pkg), 'pkg', 'c2pa_bg.wasm')));
  return compiledWasm;
}

/**
 * Runs c2pa-wasm jobs in worker threads: a crash or a runaway job takes down
 * a worker, never the caller's process. Idle workers do not keep the process
 * alive.
 */
export class C2paWasmHost {
  private readonly lanes: WorkerLane[];
  private readonly queue: QueuedJob[] = [];
  private nextJobId = 1;
  private closed = false;
  private readonly stats = { workersStarted: 0, peakWasmBytes: 0 };

  constructor(options: C2paWasmHostOptions = {}) {
    const count = Math.max(1, options.workers ?? 1);
    const timeoutMs = options.jobTimeoutMs ?? 10 * 60_000;
    const recycleAbove = options.recycleAboveWasmBytes ?? 256 * 1024 * 1024;
    this.lanes = Array.from({ length: count }, () => new WorkerLane(timeoutMs, recycleAbove, this.stats));
  }

  /** Worker threads started so far; each recycle starts a new one. */
  get workersStarted(): number {
    return this.stats.workersStarted;
  }

  /** The largest wasm memory any worker of this host reached after a job. */
  get peakWasmMemoryBytes(): number {
    return this.stats.peakWasmBytes;
  }

  sign(job: SignJobInput, signClaim: SignClaim): Promise<SignedAsset> {
    return this.enqueue({ ...job, kind: 'sign', jobId: this.nextJobId++ }, signClaim) as Promise<SignedAsset>;
  }

  read(source: ReadJob['source'], contextJson: string): Promise<ReadOutcome> {
    return this.enqueue({ kind: 'read', jobId: this.nextJobId++, source, contextJson }) as Promise<ReadOutcome>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new WorkerFailedError('c2pa host closed before the job ran'));
    await Promise.all(this.lanes.map((lane) => lane.stop('c2pa host closed while the job ran')));
  }

  private enqueue(message: SignJob | ReadJob, signClaim?: SignClaim): Promise<SignedAsset | ReadOutcome> {
    if (this.closed) return Promise.reject(new WorkerFailedError('c2pa host is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ message, signClaim, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const lane of this.lanes) {
      if (this.queue.length === 0) return;
      if (lane.busy) continue;
      const job = this.queue.shift()!;
      void lane.run(job).finally(() => this.pump());
    }
  }
}

class WorkerLane {
  busy = false;
  private worker: Worker | null = null;
  /** Why the current worker is being stopped on purpose; its exit is then no crash. */
  private stopReason: string | null = null;

  constructor(
    private readonly timeoutMs: number,
    private readonly recycleAboveWasmBytes: number,
    private readonly stats: { workersStarted: number; peakWasmBytes: number },
  ) {}

  async run(job: QueuedJob): Promise<void> {
    this.busy = true;
    try {
      const worker = this.start();
      worker.ref();
      const { value, wasmMemoryBytes } = await this.exchange(worker, job);
      this.stats.peakWasmBytes = Math.max(this.stats.peakWasmBytes, wasmMemoryBytes);
      if (job.message.kind === 'sign' || wasmMemoryBytes > this.recycleAboveWasmBytes) await this.stop();
      else worker.unref();
      job.resolve(value);
    } catch (err) {
      await this.stop();
      job.reject(err as Error);
    } finally {
      this.busy = false;
    }
  }

  async stop(reason = 'c2pa worker recycled'): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    this.stopReason = reason;
    if (worker) await worker.terminate();
    this.stopReason = null;
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const entry = join(__dirname, `c2pa-wasm.worker${extname(__filename)}`);
    this.worker = startTypeScriptAwareWorker(entry, { workerData: { wasmModule: wasmModule() } });
    this.stats.workersStarted++;
    return this.worker;
  }

  private exchange(worker: Worker, job: QueuedJob): Promise<{ value: SignedAsset | ReadOutcome; wasmMemoryBytes: number }> {
    const { message } = job;
    return new Promise((resolve, reject) => {
      // The claim signer's own error (expired certificate, time-stamp authority down)
      // says more than c2pa-rs's wrapping of it, so it wins.
      let signerError: Error | null = null;
      const cleanup = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const fail = (err: Error) => {
        cleanup();
        reject(err);
      };
      const timer = setTimeout(
        () => fail(new WorkerFailedError(`c2pa ${message.kind} job did not finish within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
      const onError = (err: Error) => fail(new WorkerFailedError(`c2pa worker crashed during ${message.kind}: ${err.message}`));
      const onExit = (code: number) =>
        fail(new WorkerFailedError(this.stopReason ?? `c2pa worker exited (code ${code}) during ${message.kind}`));
      const onMessage = (reply: WorkerMessage) => {
        if (reply.jobId !== message.jobId) return;
        switch (reply.kind) {
          case 'sign-claim':
            job.signClaim!(reply.claim).then(
              (cose) => worker.postMessage({ kind: 'claim-signature', jobId: reply.jobId, cose } satisfies HostMessage),
              (err: Error) => {
                signerError = err;
                worker.postMessage({ kind: 'claim-signature', jobId: reply.jobId, error: err.message } satisfies HostMessage);
              },
            );
            return;
          case 'signed':
            cleanup();
            resolve({ value: reply.result, wasmMemoryBytes: reply.wasmMemoryBytes });
            return;
          case 'read':
            cleanup();
            resolve({ value: reply.outcome, wasmMemoryBytes: reply.wasmMemoryBytes });
            return;
          case 'failed':
            fail(
              signerError ??
                (message.kind === 'sign'
                  ? new SigningFailedError(`c2pa signing failed: ${reply.message}`)
                  : new WorkerFailedError(`c2pa reading failed: ${reply.message}`)),
            );
            return;
        }
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(message satisfies HostMessage);
    });
  }
}
