import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../fakes/fake-http-server';
import { FAKE_OPENAI_API_KEY, registerFakeOpenAIVideos, type FakeVideosScript } from '../fakes/fake-openai-videos';
import { makeClip } from '../support/media-corpus';
import { startStack, type Stack } from '../support/stack';

/** The openai provider inside the real pipeline, against a loopback server speaking the videos API. */
describe('GENERATOR=openai through the pipeline', () => {
  // A whole pipeline per test (generation, then every check and the render) on a loaded 2-core machine.
  jest.setTimeout(150_000);
  let video: Buffer;
  const running: { stack: Stack; server: FakeHttpServer }[] = [];
  beforeAll(async () => {
    video = await readFile(await makeClip(await mkdtemp(join(tmpdir(), 'oai-')), { seconds: 2, width: 320, height: 240 }));
  });
  afterEach(async () => {
    for (const { stack, server } of running.splice(0)) {
      await stack.stop();
      await server.close();
    }
  });

  async function run(script: FakeVideosScript) {
    const server = await FakeHttpServer.start();
    const fake = registerFakeOpenAIVideos(server, script);
    const stack = await startStack({
      workers: 1,
      env: { GENERATOR: 'openai', OPENAI_API_KEY: FAKE_OPENAI_API_KEY, OPENAI_BASE_URL: `${server.url}/v1`, OPENAI_POLL_INTERVAL_MS: '50', STAGE_ATTEMPTS: '2' },
    });
    running.push({ stack, server });
    const token = await stack.login();
    const submitted = await stack.call('/api/v1/clips', { token, body: { prompt: 'a paper boat on a puddle' } });
    const clip = await stack.waitForState(submitted.body.id, token, ['AWAITING_REVIEW', 'FAILED'], 120_000);
    return { clip, fake, server, stack };
  }

  it('queued → in_progress → completed: the provider’s video goes on to review', async () => {
    const { clip, fake } = await run({ content: video });
    expect(clip.state).toBe('AWAITING_REVIEW');
    expect(clip.generator).toBe('openai:sora-2');
    expect(fake.creates[0].fields).toMatchObject({ model: 'sora-2', prompt: 'a paper boat on a puddle', seconds: '4', size: '1280x720' });
    // The clip's media is the watermarked render of exactly the provider's video.
    const watermark = clip.stages.find((s: { stage: string }) => s.stage === 'watermark');
    expect(watermark.result.sourceSha256).toBe(require('node:crypto').createHash('sha256').update(video).digest('hex'));
  });

  it('a job the provider failed ends FAILED with the provider’s reason, without retrying', async () => {
    const { clip, fake } = await run({ statuses: ['queued', 'failed'], failure: { code: 'moderation_blocked', message: 'prompt refused by provider policy' } });
    expect(clip.state).toBe('FAILED');
    expect(clip.failureReason).toMatch(/generate: .*prompt refused by provider policy/);
    expect(fake.creates).toHaveLength(1);
    expect(clip.stages.find((s: { stage: string }) => s.stage === 'generate')).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('a provider that keeps answering 500 exhausts the retries and ends FAILED with the reason visible', async () => {
    const { clip, server } = await run({ createErrors: [{ status: 500 }], repeatLastCreateError: true });
    expect(clip.state).toBe('FAILED');
    expect(clip.failureReason).toMatch(/^generate: /);
    expect(clip.stages.find((s: { stage: string }) => s.stage === 'generate')).toMatchObject({ status: 'failed', attempts: 2 });
    // Two stage attempts, each with the SDK's own retries: more than two calls, all refused.
    expect(server.requests.filter((r) => r.method === 'POST').length).toBeGreaterThan(2);
  });

  it('a "video" that is not a video fails the clip cleanly and the worker lives on', async () => {
    const { clip, stack } = await run({ content: Buffer.from('<html>definitely not an mp4</html>') });
    expect(clip.state).toBe('FAILED');
    expect(clip.failureReason).toMatch(/generate: generated media is unusable/);
    expect(stack.workers[0].exitCode).toBeNull();
  });
});
