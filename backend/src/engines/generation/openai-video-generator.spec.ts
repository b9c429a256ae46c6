import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { FAKE_OPENAI_API_KEY, FakeVideosScript, registerFakeOpenAIVideos } from '../../../test/fakes/fake-openai-videos';
import { makeClip, makeStillImage } from '../../../test/support/media-corpus';
import { GenerationError } from './generation-provider';
import { OpenAIVideoGenerator, OpenAIVideoGeneratorConfig } from './openai-video-generator';

describe('OpenAIVideoGenerator against a fake videos API', () => {
  let dir: string;
  let mp4: Buffer;
  let server: FakeHttpServer;
  let outputCount = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'openai-videos-'));
    mp4 = await readFile(await makeClip(dir, { name: 'served.mp4' }));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    server = await FakeHttpServer.start();
  });

  afterEach(async () => {
    await server.close();
  });

  function generator(overrides: Partial<OpenAIVideoGeneratorConfig> = {}): OpenAIVideoGenerator {
    return new OpenAIVideoGenerator({
      apiKey: FAKE_OPENAI_API_KEY,
      baseURL: `${server.url}/v1`,
      size: '1280x720',
      seconds: '8',
      pollIntervalMs: 10,
      timeoutMs: 5_000,
      maxRetries: 0,
      ...overrides,
    });
  }

  async function failure(gen: OpenAIVideoGenerator, script?: FakeVideosScript, signal?: AbortSignal) {
    if (script) registerFakeOpenAIVideos(server, script);
    const outDir = await mkdtemp(join(dir, 'out-'));
    const error = await gen.generate({ prompt: 'a cat', outputPath: join(outDir, 'clip.mp4'), signal }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(GenerationError);
    // A failed job never leaves a file, partial or whole, behind.
    expect(await readdir(outDir)).toEqual([]);
    return error as GenerationError;
  }

  const outputPath = () => join(dir, `result-${++outputCount}.mp4`);

  it('creates the job, polls queued → in_progress → completed and streams the MP4 to the output path', async () => {
    const videos = registerFakeOpenAIVideos(server, { content: mp4 });
    const out = outputPath();
    const result = await generator().generate({ prompt: 'a lighthouse at dusk', outputPath: out });

    expect(result).toEqual({ provider: 'openai', model: 'sora-2', providerJobId: 'video_fake_1', seconds: 8, width: 1280, height: 720 });
    expect((await readFile(out)).equals(mp4)).toBe(true);
    expect(videos.creates[0].fields).toEqual({ model: 'sora-2', prompt: 'a lighthouse at dusk', seconds: '8', size: '1280x720' });
    expect(videos.retrieveCount()).toBe(2);
    expect(server.requestsTo('GET', /^\/v1\/videos\/video_fake_1\/content$/)[0].query.get('variant')).toBe('video');
  });

  it('uploads the reference image as the multipart input_reference file', async () => {
    const videos = registerFakeOpenAIVideos(server, { content: mp4, statuses: ['completed'] });
    const image = await makeStillImage(dir, { name: 'ref.png', width: 128, height: 72, format: 'png' });
    await generator({ model: 'sora-2-pro' }).generate({
      prompt: 'animate this',
      referenceImage: { path: image, mimeType: 'image/png' },
      outputPath: outputPath(),
    });

    const [create] = videos.creates;
    expect(create.fields.model).toBe('sora-2-pro');
    expect(create.files).toHaveLength(1);
    expect(create.files[0]).toMatchObject({ field: 'input_reference', filename: 'reference.png', mimeType: 'image/png' });
    expect(create.files[0].bytes.equals(await readFile(image))).toBe(true);
  });

  it('maps a failed job to a non-retryable PROVIDER_FAILED carrying the provider message', async () => {
    const error = await failure(generator(), {
      statuses: ['queued', 'failed'],
      failure: { code: 'internal_error', message: 'the render farm caught fire' },
    });
    expect(error).toMatchObject({ code: 'PROVIDER_FAILED', retryable: false });
    expect(error.message).toBe('OpenAI video job video_fake_1 failed: the render farm caught fire (internal_error)');
  });

  it('maps a moderation failure to CONTENT_REJECTED', async () => {
    const error = await failure(generator(), {
      statuses: ['failed'],
      failure: { code: 'moderation_blocked', message: 'blocked by our safety system' },
    });
    expect(error).toMatchObject({ code: 'CONTENT_REJECTED', retryable: false });
  });

  it('lets the SDK retry an HTTP 500 and then succeeds', async () => {
    registerFakeOpenAIVideos(server, {
      content: mp4,
      createErrors: [{ status: 500, json: { error: { message: 'overloaded' } }, headers: { 'retry-after-ms': '10' } }],
    });
    const out = outputPath();
    await generator({ maxRetries: 2 }).generate({ prompt: 'retry me', outputPath: out });
    expect(server.requestsTo('POST', /^\/v1\/videos$/)).toHaveLength(2);
    expect((await readFile(out)).equals(mp4)).toBe(true);
  });

  it('reports persistent 429s as a retryable HTTP error once SDK retries are spent', async () => {
    const error = await failure(generator({ maxRetries: 1 }), {
      createErrors: [{ status: 429, json: { error: { message: 'Rate limit reached', type: 'requests' } }, headers: { 'retry-after-ms': '10' } }],
      repeatLastCreateError: true,
    });
    expect(error).toMatchObject({ code: 'HTTP', retryable: true });
    expect(error.message).toContain('HTTP 429');
    expect(server.requestsTo('POST', /^\/v1\/videos$/)).toHaveLength(2);
  });

  it('reports a 4xx as a non-retryable HTTP error and a policy 400 as CONTENT_REJECTED', async () => {
    const invalid = await failure(generator(), {
      createErrors: [{ status: 400, json: { error: { message: 'size is invalid', param: 'size', code: 'invalid_value' } } }],
    });
    expect(invalid).toMatchObject({ code: 'HTTP', retryable: false });
    expect(invalid.message).toContain('size is invalid');

    const refused = await failure(generator(), {
      createErrors: [{ status: 400, json: { error: { message: 'Your request was rejected', code: 'moderation_blocked' } } }],
    });
    expect(refused).toMatchObject({ code: 'CONTENT_REJECTED', retryable: false });
  });

  it('sends the API key (a wrong one is a non-retryable 401)', async () => {
    const error = await failure(generator({ apiKey: 'sk-wrong' }), { content: mp4 });
    expect(error).toMatchObject({ code: 'HTTP', retryable: false });
    expect(error.message).toContain('HTTP 401');
  });

  it('times out, retryably, against a server that never answers', async () => {
    const started = Date.now();
    const error = await failure(generator({ timeoutMs: 400 }), { hang: 'create' });
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('times out when the download stalls, leaving nothing at the output path', async () => {
    const error = await failure(generator({ timeoutMs: 400 }), { content: mp4, hang: 'content' });
    expect(error).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('keeps polling a job stuck in progress until the overall timeout', async () => {
    const error = await failure(generator({ timeoutMs: 300 }), { statuses: ['queued', 'in_progress'] });
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(server.requestsTo('GET', /^\/v1\/videos\/video_fake_1$/).length).toBeGreaterThan(3);
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await failure(generator(), { statuses: ['in_progress'] }, controller.signal);
    expect(error).toMatchObject({ code: 'ABORTED' });
  });

  it('refuses a download above the size limit', async () => {
    const error = await failure(generator({ maxDownloadBytes: 1000 }), { content: mp4, statuses: ['completed'] });
    expect(error).toMatchObject({ code: 'PROVIDER_FAILED', retryable: false });
    expect(error.message).toContain('download limit');
  });

  it('reports an unreachable endpoint as a retryable HTTP error', async () => {
    const gone = await FakeHttpServer.start();
    await gone.close();
    const error = await failure(
      new OpenAIVideoGenerator({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${gone.url}/v1`, timeoutMs: 5_000, maxRetries: 0 }),
    );
    expect(error).toMatchObject({ code: 'HTTP', retryable: true });
  });
});
