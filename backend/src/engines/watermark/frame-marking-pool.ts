import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptAwareWorker } from '../threads';
import { LumaMarker, type MarkStrength } from './luma-marker';

/**
 * Marking threads by default: one per core, at most 4. Beyond the core count
 * threads only contend; beyond 4 the x264 encode, not the marking, sets the
 * pace at any preset worth using.
 */
export const DEFAULT_MARKING_THREADS = Math.min(4, availableParallelism());
/** Upper bound accepted for the thread count. */
export const MAX_MARKING_THREADS = 16;

/** Marks frames (4:2:0, luma first) in the order they are handed in. */
export interface FrameMarker {
  /** Marks the frame's luma; the returned Buffer may be a new view of the same memory, `frame` must not be used afterwards. */
  mark(frame: Buffer): Promise<Buffer>;
  /** Time spent marking so far, summed over threads. */
  readonly markingMs: number;
  close(): Promise<void>;
}

export interface MarkingWorkerData {
  width: number;
  height: number;
  /** Backed by a SharedArrayBuffer: one copy of the pattern for every thread. */
  pattern: Float32Array;
  strength: MarkStrength;
}

export interface MarkedFrame {
  frame: ArrayBuffer;
  markingMs: number;
}

/**
 * `threads` 0 marks on the calling thread; otherwise that many worker
 * threads mark frames in parallel. The marking of a frame depends on that
 * frame alone, so the output is byte-identical either way.
 */
export function createFrameMarker(threads: number, width: number, height: number, pattern: Float32Array, strength: MarkStrength): FrameMarker {
  assertMarkingThreads(threads);
  return threads === 0 ? new InlineFrameMarker(new LumaMarker(width, height, pattern, strength)) : new FrameMarkingPool(threads, width, height, pattern, strength);
}

export function assertMarkingThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 0 || threads > MAX_MARKING_THREADS) {
    throw new RangeError(`marking threads must be an integer from 0 to ${MAX_MARKING_THREADS}, got ${threads}`);
  }
}

class InlineFrameMarker implements FrameMarker {
  markingMs = 0;

  constructor(private readonly marker: LumaMarker) {}

  async mark(frame: Buffer): Promise<Buffer> {
    const started = performance.now();
    this.marker.mark(frame.subarray(0, this.marker.width * this.marker.height));
    this.markingMs += performance.now() - started;
    return frame;
  }

  async close(): Promise<void> {}
}

interface PoolThread {
  worker: Worker;
  /** Replies come back in the order of the requests, so a FIFO of waiters suffices. */
  waiting: Array<{ resolve: (frame: Buffer) => void; reject: (err: Error) => void }>;
}

/**
 * A frame goes to the thread with the fewest frames outstanding; its memory
 * is transferred there and back. Order is the caller's: it awaits the
 * promises in the order it made them.
 */
class FrameMarkingPool implements FrameMarker {
  markingMs = 0;
  private readonly threads: PoolThread[];
  private failure: Error | null = null;
  private closing = false;

  constructor(count: number, width: number, height: number, pattern: Float32Array, strength: MarkStrength) {
    const shared = new Float32Array(new SharedArrayBuffer(pattern.byteLength));
    shared.set(pattern);
    const workerData: MarkingWorkerData = { width, height, pattern: shared, strength };
    const entry = join(__dirname, `luma-marking.worker${extname(__filename)}`);
    this.threads = Array.from({ length: count }, () => {
      const thread: PoolThread = { worker: startTypeScriptAwareWorker(entry, { workerData }), waiting: [] };
      thread.worker.on('message', (reply: MarkedFrame) => {
        this.markingMs += reply.markingMs;
        thread.waiting.shift()?.resolve(Buffer.from(reply.frame));
      });
      thread.worker.on('error', (err) => this.fail(err));
      thread.worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a watermark marking thread exited (code ${code})`));
      });
      return thread;
    });
  }

  mark(frame: Buffer): Promise<Buffer> {
    if (this.failure) return Promise.reject(this.failure);
    // Transfer needs the frame to own its whole ArrayBuffer (FfmpegStream's frames do); copy otherwise.
    const owns = frame.byteOffset === 0 && frame.byteLength === frame.buffer.byteLength;
    const memory = (owns ? frame.buffer : new Uint8Array(frame).buffer) as ArrayBuffer;
    const thread = this.threads.reduce((least, t) => (t.waiting.length < least.waiting.length ? t : least));
    return new Promise<Buffer>((resolve, reject) => {
      thread.waiting.push({ resolve, reject });
      thread.worker.postMessage(memory, [memory]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the marking pool was closed'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const thread of this.threads) for (const waiter of thread.waiting.splice(0)) waiter.reject(this.failure);
  }
}
