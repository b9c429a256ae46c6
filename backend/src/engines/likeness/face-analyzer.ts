import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startTypeScriptAwareWorker } from '../threads';
import { DEFAULT_DETECTION_OPTIONS, type DetectionOptions } from './human-face-engine';
import { type DetectedFace, LikenessInputError, type RgbImage, validateImage } from './types';

export interface FaceAnalyzerOptions {
  /** Analysis threads, each with its own copy of the models (~40 MB); default min(2, cores). */
  threads?: number;
  /** Detection filters (minimum score and face size, maximum faces and pixels). */
  detection?: Partial<DetectionOptions>;
  /** A thread that has not loaded its models after this long fails create(); default 120 s. */
  loadTimeoutMs?: number;
}

export const MAX_ANALYSIS_THREADS = 8;

/** @internal messages between FaceAnalyzer and face-analysis.worker.ts */
export interface AnalysisRequest {
  id: number;
  width: number;
  height: number;
  data: ArrayBuffer;
  options: DetectionOptions;
}
/** @internal */
export type AnalysisReply =
  | { kind: 'ready'; modelVersion: string }
  | { kind: 'load-failed'; message: string }
  | { kind: 'faces'; id: number; faces: DetectedFace[]; ms: number }
  | { kind: 'error'; id: number; name: string; message: string };

interface Thread {
  worker: Worker;
  pending: Map<number, { resolve: (faces: DetectedFace[]) => void; reject: (err: Error) => void }>;
}

/**
 * Face detection and embedding (@vladmandic/human: blazeface, facemesh,
 * faceres, on tfjs + wasm) in worker threads. The models load once per thread
 * when the analyser is created; a picture goes to the thread with the fewest
 * outstanding. Boxes are in the input's pixels; embeddings are L2-normalised.
 */
export class FaceAnalyzer {
  /** Time spent analysing, summed over threads (ms). */
  analysisMs = 0;
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;

  private constructor(
    private readonly threads: Thread[],
    readonly modelVersion: string,
    readonly detection: DetectionOptions,
  ) {}

  static async create(options: FaceAnalyzerOptions = {}): Promise<FaceAnalyzer> {
    const count = options.threads ?? Math.min(2, availableParallelism());
    if (!Number.isInteger(count) || count < 1 || count > MAX_ANALYSIS_THREADS) {
      throw new RangeError(`analysis threads must be an integer from 1 to ${MAX_ANALYSIS_THREADS}, got ${String(count)}`);
    }
    const detection = { ...DEFAULT_DETECTION_OPTIONS, ...options.detection };
    const entry = join(__dirname, `face-analysis.worker${extname(__filename)}`);
    const threads: Thread[] = [];
    const versions: Promise<string>[] = [];
    for (let i = 0; i < count; i++) {
      const thread: Thread = { worker: startTypeScriptAwareWorker(entry, {}), pending: new Map() };
      threads.push(thread);
      versions.push(
        new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('a face analysis thread did not load its models in time')), options.loadTimeoutMs ?? 120_000);
          thread.worker.once('message', (m: AnalysisReply) => {
            clearTimeout(timer);
            if (m.kind === 'ready') resolve(m.modelVersion);
            else reject(new Error(`a face analysis thread could not load its models: ${m.kind === 'load-failed' ? m.message : m.kind}`));
          });
          thread.worker.once('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
        }),
      );
    }
    let modelVersion: string;
    try {
      [modelVersion] = await Promise.all(versions);
    } catch (err) {
      await Promise.all(threads.map((t) => t.worker.terminate()));
      throw err;
    }
    const analyzer = new FaceAnalyzer(threads, modelVersion, detection);
    analyzer.listen();
    return analyzer;
  }

  /**
   * The faces in one RGB(A) picture, largest first, after the detection
   * filters. Malformed input (zero size, a buffer of the wrong length, too
   * many pixels) rejects with LikenessInputError before reaching a thread.
   * `image.data` is copied, never detached.
   */
  analyse(image: RgbImage, detection?: Partial<DetectionOptions>): Promise<DetectedFace[]> {
    const options = { ...this.detection, ...detection };
    try {
      validateImage(image, options.maxPixels);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.failure) return Promise.reject(this.failure);
    const data = new Uint8Array(image.data).buffer as ArrayBuffer;
    const id = this.nextId++;
    const thread = this.threads.reduce((least, t) => (t.pending.size < least.pending.size ? t : least));
    return new Promise<DetectedFace[]>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      const request: AnalysisRequest = { id, width: image.width, height: image.height, data, options };
      thread.worker.postMessage(request, [data]);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error('the face analyser was closed'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private listen(): void {
    for (const thread of this.threads) {
      thread.worker.on('message', (m: AnalysisReply) => {
        if (m.kind !== 'faces' && m.kind !== 'error') return;
        const waiter = thread.pending.get(m.id);
        thread.pending.delete(m.id);
        if (!waiter) return;
        if (m.kind === 'faces') {
          this.analysisMs += m.ms;
          waiter.resolve(m.faces);
        } else {
          const err = m.name === 'LikenessInputError' ? new LikenessInputError(m.message) : new Error(`face analysis failed: ${m.message}`);
          waiter.reject(err);
        }
      });
      thread.worker.on('error', (err) => this.fail(err));
      thread.worker.on('exit', (code) => {
        if (!this.closing) this.fail(new Error(`a face analysis thread exited (code ${code})`));
      });
    }
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const thread of this.threads) {
      for (const waiter of thread.pending.values()) waiter.reject(this.failure);
      thread.pending.clear();
    }
  }
}
