import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ModerationProviderError } from '../moderation-errors';
import { NSFW_WORKER_SOURCE } from './nsfw-worker-source';

export type NsfwClass = 'Drawing' | 'Hentai' | 'Neutral' | 'Porn' | 'Sexy';
export type NsfwPrediction = Record<NsfwClass, number>;

/** The input side nsfwjs' MobileNetV2 was trained on. */
export const NSFW_INPUT_SIZE = 224;
const MODEL_NAME = 'MobileNetV2';

interface Pending {
  resolve: (prediction: NsfwPrediction) => void;
  reject: (error: Error) => void;
}

interface PooledWorker {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<number, Pending>;
  stderrTail: string;
}

/**
 * nsfwjs (MobileNetV2, weights bundled in the npm package, read from disk)
 * on the tfjs wasm backend. The wasm backend runs one thread per process, so
 * classification happens in worker threads: the event loop stays free and
 * `workers` frames can be scored in parallel. Workers start on first use
 * or in warmUp().
 */
export class NsfwImageClassifier {
  readonly model = `nsfwjs/${MODEL_NAME}`;
  private pool: PooledWorker[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly workers = 1) {}

  /**
   * Loads the model in every worker and classifies one blank image on each,
   * so the first real frame pays neither the load nor the wasm kernels'
   * first run. Optional: classify() loads on demand.
   */
  async warmUp(): Promise<void> {
    const blank = new Uint8Array(NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3);
    await Promise.all(this.ensurePool().map((w) => this.classifyOn(w, blank)));
  }

  /** Classifies one NSFW_INPUT_SIZE² RGB24 image. */
  async classify(pixels: Uint8Array): Promise<NsfwPrediction> {
    if (pixels.length !== NSFW_INPUT_SIZE * NSFW_INPUT_SIZE * 3) {
      throw new RangeError(`expected ${NSFW_INPUT_SIZE}x${NSFW_INPUT_SIZE} RGB24 pixels, got ${pixels.length} bytes`);
    }
    return this.classifyOn(this.ensurePool().reduce((a, b) => (b.pending.size < a.pending.size ? b : a)), pixels);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = this.pool;
    this.pool = [];
    await Promise.all(pool.map((w) => w.worker.terminate()));
  }

  private async classifyOn(target: PooledWorker, pixels: Uint8Array): Promise<NsfwPrediction> {
    await target.ready;
    const id = this.nextId++;
    return new Promise<NsfwPrediction>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      const copy = pixels.slice();
      target.worker.postMessage({ id, pixels: copy }, [copy.buffer]);
    });
  }

  private ensurePool(): PooledWorker[] {
    if (this.closed) throw new Error('NsfwImageClassifier is closed');
    while (this.pool.length < this.workers) this.pool.push(this.startWorker());
    return this.pool;
  }

  private startWorker(): PooledWorker {
    const wasmBackendPath = require.resolve('@tensorflow/tfjs-backend-wasm');
    const worker = new Worker(NSFW_WORKER_SOURCE, {
      eval: true,
      // tfjs prints hints on stdout; keep them off the CLI's JSON output.
      stdout: true,
      stderr: true,
      workerData: {
        tfjsPath: require.resolve('@tensorflow/tfjs'),
        wasmBackendPath,
        wasmDir: `${dirname(wasmBackendPath)}/`,
        nsfwjsPath: require.resolve('nsfwjs'),
        modelName: MODEL_NAME,
        size: NSFW_INPUT_SIZE,
      },
    });
    const pooled: PooledWorker = { worker, pending: new Map(), stderrTail: '', ready: Promise.resolve() };
    worker.stdout.resume();
    worker.stderr.setEncoding('utf8');
    worker.stderr.on('data', (chunk: string) => {
      pooled.stderrTail = (pooled.stderrTail + chunk).slice(-2000);
    });
    pooled.ready = new Promise<void>((resolve, reject) => {
      const fail = (message: string) => {
        const error = new ModerationProviderError('local', 'LOCAL_MODEL', true, `nsfw classifier worker failed: ${message}`);
        reject(error);
        for (const p of pooled.pending.values()) p.reject(error);
        pooled.pending.clear();
        this.pool = this.pool.filter((w) => w !== pooled);
      };
      worker.on('message', (msg: { type: string; id?: number; message?: string; predictions?: Array<{ className: NsfwClass; probability: number }> }) => {
        if (msg.type === 'ready') resolve();
        else if (msg.type === 'fatal') fail(msg.message ?? 'model did not load');
        else {
          const pending = pooled.pending.get(msg.id!);
          pooled.pending.delete(msg.id!);
          if (msg.type === 'result') pending?.resolve(toPrediction(msg.predictions!));
          else pending?.reject(new ModerationProviderError('local', 'LOCAL_MODEL', false, `nsfw classification failed: ${msg.message}`));
        }
      });
      worker.on('error', (err) => fail(err.message));
      worker.on('exit', (code) => {
        if (!this.closed) fail(`exited with code ${code}${pooled.stderrTail ? `: ${pooled.stderrTail.trim()}` : ''}`);
      });
    });
    // A worker that dies before anyone awaits it must not become an unhandled rejection.
    pooled.ready.catch(() => undefined);
    return pooled;
  }
}

function toPrediction(predictions: Array<{ className: NsfwClass; probability: number }>): NsfwPrediction {
  const out: NsfwPrediction = { Drawing: 0, Hentai: 0, Neutral: 0, Porn: 0, Sexy: 0 };
  for (const p of predictions) out[p.className] = p.probability;
  return out;
}

/**
 * The nsfw classes as a "sexual" score: explicit classes count fully,
 * "Sexy" (suggestive) half. It is an advisory signal for review.
 */
export function sexualScoreFromNsfw(prediction: NsfwPrediction): number {
  return Math.min(1, prediction.Porn + prediction.Hentai + 0.5 * prediction.Sexy);
}
