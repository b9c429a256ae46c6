import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
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
 * Words tesseract is less sure of than this are dropped. On textured frames
 * (fractals, noise, fine patterns) it "reads" fragments at confidence 0-47,
 * e.g. "Cp" and "Fag," in a demo fractal, which the text rules take for an
 * abbreviation and a slur and block on. Captions read at 80-96, a lone "I"
 * (often as "1") at about 52.
 */
export const MIN_WORD_CONFIDENCE = 50;

/**
 * OCR of on-screen text with tesseract.js, English traineddata loaded from
 * node_modules and cached under the OS temp dir. One tesseract worker
 * thread, created on first use or by warmUp(). Only words read with at
 * least MIN_WORD_CONFIDENCE are kept, line by line.
 */
export class FrameTextReader {
  readonly model = 'tesseract.js/eng';
  private worker: Promise<TesseractWorker> | null = null;

  constructor(private readonly cachePath = join(tmpdir(), 'provenant-tesseract-cache')) {}

  async read(imagePath: string): Promise<ReadText> {
    const worker = await this.start();
    try {
      const { data } = await worker.recognize(imagePath, {}, { text: true, blocks: true });
      const lines = (data.blocks ?? []).flatMap((block) => block.paragraphs.flatMap((paragraph) => paragraph.lines));
      const text = lines
        .map((line) => line.words.filter((word) => word.confidence >= MIN_WORD_CONFIDENCE).map((word) => word.text).join(' '))
        .filter(Boolean)
        .join('\n');
      return { text, confidence: data.confidence };
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      // Tesseract's wording for pixels it cannot decode: the image is bad, not the OCR engine.
      if (message.includes('attempting to read image')) {
        throw new ModerationInputError('IMAGE_UNREADABLE', `image could not be decoded for OCR: ${message}`);
      }
      throw new ModerationProviderError('local', 'LOCAL_MODEL', false, `OCR failed on ${imagePath}: ${message}`);
    }
  }

  /**
   * Starts the tesseract worker (wasm core and English model) and reads one
   * tiny image, so the first real frame pays neither. Optional: read() starts
   * the worker on demand.
   */
  async warmUp(): Promise<void> {
    const worker = await this.start();
    try {
      await worker.recognize(warmUpImage());
    } catch (err) {
      throw new ModerationProviderError('local', 'LOCAL_MODEL', true, `OCR warm-up failed: ${String((err as Error)?.message ?? err)}`);
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

/** A small white PNG with one black bar: enough for tesseract to find a line and run its recogniser once. */
function warmUpImage(): Buffer {
  const png = new PNG({ width: 64, height: 48 });
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const ink = x >= 29 && x < 35 && y >= 10 && y < 38;
      const i = (y * png.width + x) * 4;
      png.data.fill(ink ? 0 : 255, i, i + 3);
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
