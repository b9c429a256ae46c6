import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../../../../test/fakes/fake-http-server';
import { FAKE_OPENAI_API_KEY, registerFakeOpenAIModeration } from '../../../../test/fakes/fake-openai-moderation';
import { makeStillImage } from '../../../../test/support/media-corpus';
import { ModerationProviderError } from '../moderation-errors';
import { OpenAIModerationConfig, OpenAIModerationProvider } from './openai-moderation-provider';

let server: FakeHttpServer;
let dir: string;

beforeEach(async () => {
  server = await FakeHttpServer.start();
});
afterEach(async () => {
  await server.close();
});
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moderation-openai-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function provider(config: Partial<OpenAIModerationConfig> = {}): OpenAIModerationProvider {
  return new OpenAIModerationProvider({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${server.url}/v1`, timeoutMs: 2000, maxRetries: 2, ...config });
}

describe('OpenAIModerationProvider', () => {
  it('scores text with omni-moderation-latest on all 13 categories', async () => {
    const api = registerFakeOpenAIModeration(server, { textScores: (t) => (t.includes('kill') ? { violence: 0.91, 'harassment/threatening': 0.8 } : {}) });
    const result = await provider().scoreText('I will kill you');
    expect(api.moderations[0]).toEqual({ model: 'omni-moderation-latest', input: [{ type: 'text', text: 'I will kill you' }] });
    expect(Object.keys(result.scores)).toHaveLength(13);
    expect(result.scores).toMatchObject({ violence: 0.91, 'harassment/threatening': 0.8, hate: 0.0001 });
  });

  it('sends each image as a data URL and keeps only the categories applied to images', async () => {
    const image = await makeStillImage(dir, { name: 'frame.jpg', width: 64, height: 64, format: 'jpg' });
    const api = registerFakeOpenAIModeration(server, { imageScores: () => ({ sexual: 0.7, hate: 0.99, 'sexual/minors': 0.99 }) });
    const [result] = await provider().scoreImages([{ path: image, mimeType: 'image/jpeg' }]);
    const sent = api.moderations[0].input[0];
    expect(sent.type).toBe('image_url');
    expect((sent as { image_url: { url: string } }).image_url.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(result.advisory).toBe(false);
    expect(result.scores.sexual).toBe(0.7);
    // hate and sexual/minors are text-only on omni-moderation: an image score for them is not a score.
    expect(result.scores).not.toHaveProperty('hate');
    expect(result.scores).not.toHaveProperty('sexual/minors');
    expect(Object.keys(result.scores).sort()).toEqual(['self-harm', 'self-harm/instructions', 'self-harm/intent', 'sexual', 'violence', 'violence/graphic']);
  });

  it('waits as told by retry-after on a 429, then succeeds', async () => {
    const api = registerFakeOpenAIModeration(server, {
      failures: [{ status: 429, json: { error: { message: 'Rate limit reached', type: 'requests' } }, headers: { 'retry-after': '1' } }],
      textScores: () => ({ hate: 0.2 }),
    });
    const started = Date.now();
    const result = await provider().scoreText('hello');
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(api.failuresServed).toBe(1);
    expect(result.scores.hate).toBe(0.2);
  });

  it('reports persistent 429s as a retryable RATE_LIMITED error carrying retry-after', async () => {
    const api = registerFakeOpenAIModeration(server, {
      failures: [{ status: 429, json: { error: { message: 'Rate limit reached' } }, headers: { 'retry-after-ms': '10', 'retry-after': '7' } }],
      repeatLastFailure: true,
    });
    const error = await provider({ maxRetries: 2 }).scoreText('hello').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModerationProviderError);
    expect(error).toMatchObject({ provider: 'openai', code: 'RATE_LIMITED', retryable: true, retryAfterSeconds: 7 });
    expect(api.failuresServed).toBe(3);
  });

  it('reports a persistent 5xx as a retryable UPSTREAM_ERROR after the SDK retries', async () => {
    const api = registerFakeOpenAIModeration(server, {
      failures: [{ status: 503, json: { error: { message: 'overloaded' } }, headers: { 'retry-after-ms': '10' } }],
      repeatLastFailure: true,
    });
    await expect(provider({ maxRetries: 1 }).scoreText('hello')).rejects.toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
    expect(api.failuresServed).toBe(2);
  });

  it('times out, retryably, against a server that never answers', async () => {
    registerFakeOpenAIModeration(server, { failures: [{ hang: true }], repeatLastFailure: true });
    const error = await provider({ timeoutMs: 200, maxRetries: 1 }).scoreText('hello').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('does not retry a wrong API key', async () => {
    registerFakeOpenAIModeration(server);
    const error = await provider({ apiKey: 'sk-wrong' }).scoreText('hello').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'AUTH', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('transcribes audio through the transcription endpoint when a model is configured', async () => {
    const api = registerFakeOpenAIModeration(server, { transcript: 'hello there' });
    const audio = join(dir, 'speech.mp3');
    await writeFile(audio, Buffer.from('ID3 fake mp3 bytes'));
    expect(provider().transcribe).toBeUndefined();
    const text = await provider({ transcriptionModel: 'gpt-4o-mini-transcribe' }).transcribe!(audio);
    expect(text).toBe('hello there');
    expect(api.transcriptions[0]).toMatchObject({ model: 'gpt-4o-mini-transcribe', filename: 'speech.mp3' });
    expect(api.transcriptions[0].bytes.toString()).toBe('ID3 fake mp3 bytes');
  });
});
