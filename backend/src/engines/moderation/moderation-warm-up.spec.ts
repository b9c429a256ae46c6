import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { FAKE_OPENAI_API_KEY, registerFakeOpenAIModeration } from '../../../test/fakes/fake-openai-moderation';
import { makeTextImage } from '../../../test/support/text-media';
import { resolveFfmpegBinaries } from '../media';
import { FrameTextReader } from './image/frame-text-reader';
import { NSFW_INPUT_SIZE, NsfwImageClassifier } from './image/nsfw-image-classifier';
import { RgbFrameDecoder } from './image/rgb-frame-decoder';
import { createModerationEngine, loadModerationConfig } from './moderation-config';
import { ModerationEngine } from './moderation-engine';
import { DEFAULT_MODERATION_POLICY } from './policy/moderation-policy';
import { LocalModerationProvider } from './providers/local-moderation-provider';
import { OpenAIModerationProvider } from './providers/openai-moderation-provider';
import { LocalTextClassifier } from './text/local-text-classifier';

// Real models throughout (nsfwjs on tfjs-wasm, tesseract.js); every engine made here is closed in afterAll.
const bins = resolveFfmpegBinaries();
const engines: ModerationEngine[] = [];
let dir: string;

function opened(engine: ModerationEngine): ModerationEngine {
  engines.push(engine);
  return engine;
}

/** A local engine whose nsfw classifier is already closed: a real model that cannot start. */
async function engineWithBrokenImageModel(provider?: OpenAIModerationProvider): Promise<ModerationEngine> {
  const nsfw = new NsfwImageClassifier(1);
  await nsfw.close();
  const local = new LocalModerationProvider(new LocalTextClassifier(), nsfw, new RgbFrameDecoder(bins, NSFW_INPUT_SIZE, 30_000));
  return opened(
    new ModerationEngine({ provider: provider ?? local, fallback: provider ? local : undefined, policy: DEFAULT_MODERATION_POLICY, ocr: new FrameTextReader(), bins }),
  );
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await work();
  return Date.now() - started;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moderation-warm-up-'));
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('ModerationEngine.warmUp', () => {
  it('makes the first moderation of a fresh engine a small fraction of a cold first one', async () => {
    const image = await makeTextImage(dir, 'caption.png', 'GOOD MORNING', { width: 640, height: 360 });
    const warmed = opened(createModerationEngine(loadModerationConfig({}), bins));
    expect(warmed.warmUp()).toBe(warmed.warmUp()); // idempotent: one warm-up however often it is asked for
    await warmed.warmUp();

    // The cold engine is timed after the warm-up, so both find the model files in the page cache.
    const cold = opened(createModerationEngine(loadModerationConfig({}), bins));
    const coldMs = await timed(() => cold.moderateImage(image));
    const warmMs = await timed(() => warmed.moderateImage(image));
    // Typically ~10 s against well under 1 s; half leaves room for a loaded machine.
    expect(warmMs).toBeLessThan(coldMs / 2);
    expect((await warmed.moderateImage(image)).verdict).toBe((await cold.moderateImage(image)).verdict);
  }, 180_000);

  it('rejects when a model cannot start, and tries again on the next call', async () => {
    const engine = await engineWithBrokenImageModel();
    const first = engine.warmUp();
    await expect(first).rejects.toThrow('NsfwImageClassifier is closed');
    const second = engine.warmUp();
    expect(second).not.toBe(first);
    await expect(second).rejects.toThrow('NsfwImageClassifier is closed');
  }, 60_000);

  it('with the openai provider starts only the OCR worker: no API call, and the local fallback stays unloaded', async () => {
    const server = await FakeHttpServer.start();
    try {
      registerFakeOpenAIModeration(server);
      const openai = new OpenAIModerationProvider({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${server.url}/v1` });
      // The fallback's classifier is closed, so warming it would reject.
      await expect((await engineWithBrokenImageModel(openai)).warmUp()).resolves.toBeUndefined();
      expect(server.requests).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
