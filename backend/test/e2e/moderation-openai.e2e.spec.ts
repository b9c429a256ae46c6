import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClipDto, ModerationPolicyDto, ModerationStageResult } from '@provenant/shared';
import { makeTextClip } from '../support/text-media';
import { FakeHttpServer } from '../fakes/fake-http-server';
import { FAKE_OPENAI_API_KEY, registerFakeOpenAIModeration } from '../fakes/fake-openai-moderation';
import { startStack, type Stack } from '../support/stack';

/**
 * MODERATION_PROVIDER=openai inside the real pipeline, against a loopback
 * server speaking OpenAI's moderation and transcription APIs: frames as
 * images, on-screen text and the speech transcript as text, and what an
 * outage does: a retried job and then FAILED, or the local fallback when the
 * policy names it, never a silent allow.
 */
describe('MODERATION_PROVIDER=openai through the pipeline', () => {
  let server: FakeHttpServer;
  let stack: Stack;
  let admin: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'moderation-openai-e2e-'));
    server = await FakeHttpServer.start();
    stack = await startStack({
      workers: 1,
      env: {
        MODERATION_PROVIDER: 'openai',
        OPENAI_API_KEY: FAKE_OPENAI_API_KEY,
        OPENAI_BASE_URL: `${server.url}/v1`,
        MODERATION_TRANSCRIBE_SPEECH: '1',
        MODERATION_OPENAI_TIMEOUT_MS: '2500',
        MODERATION_OPENAI_MAX_RETRIES: '1',
        STAGE_ATTEMPTS: '2',
      },
    });
    admin = await stack.login();
  });
  afterAll(async () => {
    await stack?.stop();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const submit = async (prompt: string): Promise<ClipDto> => {
    const res = await stack.call('/api/v1/clips', { token: admin, body: { prompt } });
    expect(res.status).toBe(202);
    return stack.waitForState(res.body.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000);
  };
  const result = (clip: ClipDto, stage: string) => clip.stages.find((s) => s.stage === stage)!.result as ModerationStageResult;

  it('scores the prompt, every frame, the on-screen text and the speech transcript; a rate limit is retried', async () => {
    const api = registerFakeOpenAIModeration(server, {
      failures: [{ status: 429, headers: { 'retry-after-ms': '20' }, json: { error: { message: 'Rate limit reached' } } }],
      textScores: (text) => (text.includes('bomb') ? { 'illicit/violent': 0.62, violence: 0.3 } : text.includes('HATES') ? { harassment: 0.31 } : {}),
      imageScores: () => ({ violence: 0.12, hate: 0.99 }),
      transcript: 'and now I will show you how to build a bomb',
    });
    const file = await makeTextClip(dir, 'hates-with-audio.mp4', { seconds: 3, width: 640, height: 360, text: 'EVERYONE HATES YOU', audio: true });
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), 'hates-with-audio.mp4');
    const uploaded = await stack.call('/api/v1/clips/upload', { token: admin, body: form });
    const clip: ClipDto = await stack.waitForState(uploaded.body.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000);
    expect({ state: clip.state, flagged: clip.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: true });
    expect(api.failuresServed).toBe(1);
    expect(clip.checks.moderation).toEqual({ status: 'ran', note: null });

    const { report } = result(clip, 'clip_moderation').reports[0];
    expect(report).toMatchObject({ provider: 'openai', verdict: 'review', speech: { status: 'checked', transcriptChars: 43 } });
    expect(report.models).toEqual(['omni-moderation-latest', 'gpt-4o-mini-transcribe', 'tesseract.js/eng']);
    expect(report.categories['illicit/violent']).toMatchObject({ score: 0.62, verdict: 'review', assessedBy: expect.arrayContaining(['speech']) });
    expect(report.evidence).toContainEqual({ kind: 'provider_score', source: 'speech', category: 'illicit/violent', provider: 'openai', score: 0.62 });
    // On-screen text is read locally (OCR) and scored by the provider as text.
    expect(report.categories.harassment).toMatchObject({ score: 0.31, verdict: 'allow', assessedBy: expect.arrayContaining(['on_screen_text']) });
    expect(api.moderations.some((m) => m.input[0].type === 'text' && m.input[0].text.includes('EVERYONE HATES YOU'))).toBe(true);
    // Frames go as images; hate is text-only on omni-moderation, so the fake's 0.99 on every frame must not count.
    expect(report.categories.violence.assessedBy).toEqual(expect.arrayContaining(['frames', 'speech']));
    expect(report.categories.hate.assessedBy).not.toContain('frames');
    // Each sampled frame is sent once; under load a request may time out and the SDK resend it, so count distinct images.
    const images = new Set(api.moderations.filter((m) => m.input[0].type === 'image_url').map((m) => (m.input[0] as { image_url: { url: string } }).image_url.url));
    expect(images.size).toBe((clip.stages.find((s) => s.stage === 'media_analysis')!.result.frames as unknown[]).length);
    for (const url of images) expect(url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
    expect(api.transcriptions).toEqual([expect.objectContaining({ model: 'gpt-4o-mini-transcribe', filename: 'speech.mp3' })]);

    const prompted = await submit('a paper boat on a puddle');
    expect(result(prompted, 'prompt_moderation')).toMatchObject({ provider: 'openai', reports: [{ subject: 'prompt', report: { verdict: 'allow', provider: 'openai' } }] });
    expect(api.moderations).toContainEqual({ model: 'omni-moderation-latest', input: [{ type: 'text', text: 'a paper boat on a puddle' }] });
  });

  it('an outage under a policy without fallback retries the job, then fails the clip with the provider\'s reason', async () => {
    const api = registerFakeOpenAIModeration(server, {
      failures: [{ status: 503, headers: { 'retry-after-ms': '10' }, json: { error: { message: 'The server is overloaded' } } }],
      repeatLastFailure: true,
    });
    const clip = await submit('a lighthouse at dusk');
    expect(clip.state).toBe('FAILED');
    expect(clip.failureReason).toMatch(/^prompt_moderation: OpenAI API answered HTTP 503 after the SDK retries/);
    // prompt_likeness runs beside it (and succeeds: it needs no provider).
    expect(clip.stages.filter((s) => s.stage !== 'prompt_likeness')).toEqual([expect.objectContaining({ stage: 'prompt_moderation', status: 'failed', attempts: 2 })]);
    // Two stage attempts, each with the SDK's own retry: four refused calls, and nothing generated.
    expect(api.failuresServed).toBe(4);
    expect(clip.checks.moderation.status).toBe('failed');
  });

  it('a provider that does not answer times out, and the clip fails the same way', async () => {
    const api = registerFakeOpenAIModeration(server, { failures: [{ hang: true }], repeatLastFailure: true });
    const clip = await submit('a windmill in the rain');
    expect(clip.state).toBe('FAILED');
    expect(clip.failureReason).toBe('prompt_moderation: OpenAI moderation request timed out after the SDK retries');
    expect(api.failuresServed).toBe(4);
  });

  it('under a policy that names the local fallback, an outage is moderated locally and the report says so', async () => {
    const current = (await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin })).body;
    const put = await stack.call('/api/v1/moderation/policy', {
      method: 'PUT',
      token: admin,
      body: { ...current.document, version: 'e2e-fallback.1', onProviderOutage: 'fallback_local' },
    });
    expect(put.status).toBe(200);
    registerFakeOpenAIModeration(server, {
      failures: [{ status: 500, json: { error: { message: 'internal error' } } }],
      repeatLastFailure: true,
    });
    const clip = await submit('a paper boat on a puddle');
    expect(clip.state).toBe('AWAITING_REVIEW');
    for (const stage of ['prompt_moderation', 'clip_moderation']) {
      const moderation = result(clip, stage);
      expect(moderation).toMatchObject({ policyVersion: 'e2e-fallback.1', provider: 'local' });
      expect(moderation.reports[0].report.evidence).toContainEqual({
        kind: 'provider_fallback',
        from: 'openai',
        to: 'local',
        reason: expect.stringContaining('HTTP 500'),
      });
    }
    const { report } = result(clip, 'clip_moderation').reports[0];
    expect(report.models).toEqual(expect.arrayContaining(['nsfwjs/MobileNetV2', 'tesseract.js/eng']));
  });
});
