import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWorker, OEM, Worker as TesseractWorker } from 'tesseract.js';
import { ModerationInputError, ModerationProviderError } from '../moderation-errors';

export interface ReadText {
  text: string;
  /** Tesseract's mean word confidence, 0-100. */
  confidence: number;
}

// @tesseract.js-data/eng ships eng.traineddata.gz inside the npm package: no download at run time.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ENGLISH_DATA: { langPath: string; gzip: boolean } = require('@tesseract.js-data/eng');

/**
 * OCR of on-screen text with tesseract.js, English traineddata loaded from
 * node_modules and cached under the OS temp dir. One tesseract worker
 * thread, created on first use.
 */
export class FrameTextReader {
  readonly model = 'tesseract.js/eng';
  private worker: Promise<TesseractWorker> | null = null;

  constructor(private readonly cachePath = join(tmpdir(), 'provenant-tesseract-cache')) {}

  async read(imagePath: string): Promise<ReadText> {
    const worker = await this.start();
    try {
      const { data } = await worker.recognize(imagePath);
      return { text: data.text.trim(), confidence: data.confidence };
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      // Tesseract's wording for pixels it cannot decode: the image is bad, not the OCR engine.
      if (message.includes('attempting to read image')) {
        throw new ModerationInputError('IMAGE_UNREADABLE', `image could not be decoded for OCR: ${message}`);
      }
      throw new ModerationProviderError('local', 'LOCAL_MODEL', false, `OCR failed on ${imagePath}: ${message}`);
    }
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await (await worker.catch(() => null))?.terminate();
  }

  private start(): Promise<TesseractWorker> {
    this.worker ??= createWorker('eng', OEM.LSTM_ONLY, {
      langPath: ENGLISH_DATA.langPath,
      gzip: ENGLISH_DATA.gzip,
      cachePath: this.cachePath,
      // Without a handler tesseract.js rethrows a failed job from its message listener: an uncaught exception.
      // The job's own promise is rejected as well, and that is where the error is handled.
      errorHandler: () => undefined,
    }).catch((err: unknown) => {
      this.worker = null;
      throw new ModerationProviderError('local', 'LOCAL_MODEL', true, `OCR engine did not start: ${String(err)}`);
    });
    return this.worker;
  }
}
