import { pathToFileURL } from 'node:url';
import { normalise } from './embedding-math';
import { createLocalFetch } from './local-fetch';
import { locateModelFiles } from './model-files';
import { type DetectedFace, type RgbImage, validateImage } from './types';

/** Detection settings; the defaults are what the tests and the calibration used. */
export interface DetectionOptions {
  /** Faces whose detector score is below this are dropped. */
  minDetectionScore: number;
  /** Faces whose box is smaller than this (shorter side, input pixels) are dropped. */
  minFaceSizePx: number;
  /** At most this many faces per picture (largest kept). */
  maxFaces: number;
  /** Pictures above this many pixels are refused. */
  maxPixels: number;
  /** false: detection and mesh only, no embedding (about a third of the time; for tracking). */
  embed: boolean;
}

export const DEFAULT_DETECTION_OPTIONS: DetectionOptions = {
  minDetectionScore: 0.6,
  minFaceSizePx: 40,
  maxFaces: 20,
  maxPixels: 4096 * 4096,
  embed: true,
};

/* eslint-disable @typescript-eslint/no-explicit-any -- Human's types come from a path-required bundle */
type HumanInstance = any;

/**
 * @vladmandic/human on tfjs + the wasm backend, in the calling thread. It
 * replaces the thread's global `fetch` with a local-file-only one, so it is
 * meant for the analysis worker threads (face-analysis.worker.ts), not the
 * main thread of a server.
 */
export class HumanFaceEngine {
  private constructor(
    private readonly human: HumanInstance,
    readonly modelVersion: string,
  ) {}

  static async load(): Promise<HumanFaceEngine> {
    const files = locateModelFiles();
    (globalThis as { fetch: unknown }).fetch = createLocalFetch([files.modelsDir, files.wasmDir]);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Human } = require(files.humanEntry) as { Human: new (config: unknown) => HumanInstance };
    const dirUrl = (dir: string) => pathToFileURL(dir).href + '/';
    const human = new Human({
      backend: 'wasm',
      modelBasePath: dirUrl(files.modelsDir),
      wasmPath: dirUrl(files.wasmDir),
      wasmPlatformFetch: true,
      debug: false,
      async: false,
      warmup: 'none',
      cacheSensitivity: 0,
      cacheModels: false,
      validateModels: false,
      filter: { enabled: false },
      gesture: { enabled: false },
      body: { enabled: false },
      hand: { enabled: false },
      object: { enabled: false },
      segmentation: { enabled: false },
      face: {
        enabled: true,
        detector: { rotation: true, maxDetected: DEFAULT_DETECTION_OPTIONS.maxFaces, skipFrames: 0, skipTime: 0, minConfidence: 0.3, minSize: 0, iouThreshold: 0.1, return: false },
        mesh: { enabled: true },
        iris: { enabled: false },
        attention: { enabled: false },
        emotion: { enabled: false },
        antispoof: { enabled: false },
        liveness: { enabled: false },
        description: { enabled: true, skipFrames: 0, skipTime: 0, minConfidence: 0 },
      },
    });
    await human.load();
    await human.tf.ready();
    if (human.tf.getBackend() !== 'wasm') throw new Error(`likeness engine: expected the tfjs wasm backend, got ${human.tf.getBackend()}`);
    return new HumanFaceEngine(human, `human-${files.humanVersion}/faceres`);
  }

  async analyse(image: RgbImage, options: DetectionOptions = DEFAULT_DETECTION_OPTIONS): Promise<DetectedFace[]> {
    const channels = validateImage(image, options.maxPixels);
    const tf = this.human.tf;
    const input = tf.tidy(() => {
      const t = tf.tensor3d(image.data, [image.height, image.width, channels], 'int32');
      const rgb = channels === 4 ? tf.slice(t, [0, 0, 0], [image.height, image.width, 3]) : t;
      return tf.expandDims(tf.cast(rgb, 'float32'), 0);
    });
    // Human resizes inputs larger than its limits; keep the picture's own size so boxes are in input pixels.
    this.human.config.filter.width = 0;
    this.human.config.filter.height = 0;
    this.human.config.face.detector.maxDetected = options.maxFaces;
    this.human.config.face.description.enabled = options.embed;
    let result: HumanInstance;
    try {
      result = await this.human.detect(input);
    } finally {
      tf.dispose(input);
    }
    if (result?.error) throw new Error(`face analysis failed: ${String(result.error)}`);
    const faces: DetectedFace[] = [];
    for (const f of result.face ?? []) {
      const [x, y, w, h] = f.box as [number, number, number, number];
      const size = Math.min(w, h);
      const detectionScore = Number(f.boxScore ?? f.score ?? 0);
      if (detectionScore < options.minDetectionScore || size < options.minFaceSizePx) continue;
      let embedding: Float32Array | null = null;
      if (options.embed) {
        if (!Array.isArray(f.embedding) || f.embedding.length === 0) continue;
        embedding = normalise(Float32Array.from(f.embedding as number[]));
      }
      const angle = f.rotation?.angle ?? null;
      const frontal = angle ? Math.max(0, Math.cos(angle.yaw)) * Math.max(0, Math.cos(angle.pitch)) : 0.5;
      const sizeFactor = Math.min(1, size / 160);
      faces.push({
        box: { x: Math.round(x), y: Math.round(y), width: Math.round(w), height: Math.round(h) },
        score: detectionScore,
        quality: {
          detectionScore,
          meshScore: Number(f.faceScore ?? 0),
          faceSizePx: Math.round(size),
          rotation: angle ? { roll: angle.roll, yaw: angle.yaw, pitch: angle.pitch } : null,
          overall: detectionScore * sizeFactor * frontal,
        },
        embedding,
        modelVersion: this.modelVersion,
      });
    }
    return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  }
}
