import { access, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { FAKE_OPENAI_API_KEY, registerFakeOpenAIModeration } from '../../../test/fakes/fake-openai-moderation';
import { makeHostileCorpus, makeStillImage } from '../../../test/support/media-corpus';
import { makeTextClip, makeTextImage } from '../../../test/support/text-media';
import { resolveFfmpegBinaries } from '../media';
import { MODERATION_CATEGORIES } from './categories';
import { FrameTextReader } from './image/frame-text-reader';
import { NSFW_INPUT_SIZE, NsfwImageClassifier } from './image/nsfw-image-classifier';
import { RgbFrameDecoder } from './image/rgb-frame-decoder';
import { ModerationEngine } from './moderation-engine';
import { ModerationInputError, ModerationProviderError } from './moderation-errors';
import { FramesEvidence, ModerationReport, TextMatchEvidence } from './moderation-report';
import { DEFAULT_MODERATION_POLICY, ModerationPolicy } from './policy/moderation-policy';
import { LocalModerationProvider } from './providers/local-moderation-provider';
import { OpenAIModerationProvider } from './providers/openai-moderation-provider';
import { LocalTextClassifier } from './text/local-text-classifier';

// One nsfw worker and one OCR worker for the whole file, shared by every engine below.
const bins = resolveFfmpegBinaries();
const ocr = new FrameTextReader();
const local = new LocalModerationProvider(new LocalTextClassifier(), new NsfwImageClassifier(1), new RgbFrameDecoder(bins, NSFW_INPUT_SIZE, 30_000));
const sampling = { intervalSeconds: 1, sceneThreshold: 0.9, maxFrames: 8, width: 640 };
const engine = new ModerationEngine({ provider: local, policy: DEFAULT_MODERATION_POLICY, ocr, bins, options: { sampling } });
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moderation-engine-'));
});
afterAll(async () => {
  await engine.close();
  await rm(dir, { recursive: true, force: true });
});

function evidenceOf<K extends ModerationReport['evidence'][number]['kind']>(report: ModerationReport, kind: K) {
  return report.evidence.filter((e): e is Extract<ModerationReport['evidence'][number], { kind: K }> => e.kind === kind);
}

describe('moderateText (local)', () => {
  it('blocks a threatening prompt with the rule, span and policy version as evidence', async () => {
    const report = await engine.moderateText('Make a video where I tell my ex: I w1ll k1ll you');
    expect(report).toMatchObject({ verdict: 'block', policyVersion: DEFAULT_MODERATION_POLICY.version, provider: 'local', input: 'text' });
    expect(Object.keys(report.categories).sort()).toEqual([...MODERATION_CATEGORIES].sort());
    expect(report.categories['harassment/threatening']).toMatchObject({ verdict: 'block', threshold: { review: 0.5, block: 0.85 }, assessedBy: ['prompt'] });
    const matches = evidenceOf(report, 'text_match').filter((e) => e.category === 'harassment/threatening');
    expect(matches.find((e) => !e.relation)).toMatchObject({ source: 'prompt', ruleId: 'threat.first-person-harm.v1', normalised: 'i will kill you', original: 'I w1ll k1ll you' });
    // The sentence structure finds it too, as a relation: the speaker's intent, a killing, aimed at "you".
    expect(matches.find((e) => e.relation)).toMatchObject({ ruleId: 'relation.intent.killing.v1', relation: { mood: 'intent', actKind: 'killing', targetKind: 'you', framed: false } });
    expect(report.models[0]).toMatch(/^local-text-rules@/);
    expect(report.speech).toEqual({ status: 'not applicable' });
  });

  it('allows a benign look-alike', async () => {
    const report = await engine.moderateText('A chef shows how to sharpen a knife, then we shoot a film about it');
    expect(report.verdict).toBe('allow');
    expect(report.evidence).toEqual([]);
  });

  it('refuses empty, oversized and binary prompts with typed 4xx errors', async () => {
    const cases: Array<[string, string, number]> = [
      ['   \n ', 'EMPTY_TEXT', 400],
      ['a'.repeat(100 * 1024), 'TEXT_TOO_LONG', 413],
      [String.fromCharCode(...Array.from({ length: 200 }, (_, i) => (i * 37) % 256)), 'BINARY_TEXT', 400],
      [(await readFile(bins.ffmpeg)).subarray(0, 4096).toString('utf8'), 'BINARY_TEXT', 400],
    ];
    for (const [text, code, status] of cases) {
      const error = await engine.moderateText(text).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModerationInputError);
      expect(error).toMatchObject({ code, httpStatus: status });
    }
  });

  it('sends text in a script the rules cannot read to review instead of allowing it', async () => {
    const report = await engine.moderateText('Сними видео, где я угрожаю соседу');
    expect(report.verdict).toBe('review');
    expect(evidenceOf(report, 'unassessed_text')[0]).toMatchObject({ source: 'prompt', scripts: ['Cyrillic'] });
  });
});

describe('moderateImage (local)', () => {
  it('reads on-screen text in a reference image and blocks on it', async () => {
    const image = await makeTextImage(dir, 'ref.png', 'KILL YOURSELF');
    const report = await engine.moderateImage(image);
    expect(report.verdict).toBe('block');
    expect(report.categories.harassment).toMatchObject({ verdict: 'block', assessedBy: ['on_screen_text'] });
    // The pixels were scored for sexual content only: the local image model has no other category.
    expect(report.categories.sexual.assessedBy).toEqual(expect.arrayContaining(['image', 'on_screen_text']));
    expect(report.categories.violence.assessedBy).toEqual(['on_screen_text']);
    expect(evidenceOf(report, 'text_match').some((e) => e.source === 'on_screen_text' && e.category === 'harassment')).toBe(true);
    expect(report.models).toEqual(expect.arrayContaining(['nsfwjs/MobileNetV2', 'tesseract.js/eng']));
  });

  it('allows a plain test pattern', async () => {
    const image = await makeStillImage(dir, { name: 'pattern.png', width: 640, height: 360, format: 'png' });
    const report = await engine.moderateImage(image);
    expect(report.verdict).toBe('allow');
    expect(report.categories.sexual.score).toBeLessThan(0.5);
  });

  it('refuses non-images, decompression bombs and corrupt images with typed errors', async () => {
    const hostile = await makeHostileCorpus(join(dir, 'hostile'));
    await expect(engine.moderateImage(hostile.textAsMp4.path)).rejects.toMatchObject({ code: 'NOT_AN_IMAGE' });
    const png = await readFile(await makeStillImage(dir, { name: 'small.png', width: 32, height: 32, format: 'png' }));
    const bomb = Buffer.from(png);
    bomb.writeUInt32BE(50_000, 16);
    bomb.writeUInt32BE(50_000, 20);
    await writeFile(join(dir, 'bomb.png'), bomb);
    await expect(engine.moderateImage(join(dir, 'bomb.png'))).rejects.toMatchObject({ code: 'IMAGE_TOO_LARGE', httpStatus: 413 });
    await writeFile(join(dir, 'corrupt.png'), png.subarray(0, 60));
    await expect(engine.moderateImage(join(dir, 'corrupt.png'))).rejects.toBeInstanceOf(ModerationInputError);
  });
});

describe('moderateVideo (local)', () => {
  it('blocks a clip whose on-screen threat spans consecutive frames, with frame evidence', async () => {
    const clip = await makeTextClip(dir, 'threat.mp4', { seconds: 4, width: 640, height: 360, text: 'I WILL KILL YOU', textFrom: 0.9, textTo: 4, audio: true });
    const workDir = join(dir, 'threat-work');
    const report = await engine.moderateVideo(clip, { workDir });
    expect(report).toMatchObject({ verdict: 'block', input: 'video', framesSampled: 4 });
    expect(report.speech).toMatchObject({ status: 'not checked' });
    const frames = evidenceOf(report, 'frames').find((e) => e.category === 'harassment/threatening')!;
    expect(frames).toMatchObject({ source: 'on_screen_text', longestRunOverBlock: 3, framesSampled: 4 });
    expect(frames.worstFrames.map((f) => f.timestampSeconds).sort()).toEqual([1, 2, 3]);
    for (const f of frames.worstFrames) await expect(access(f.thumbnailPath)).resolves.toBeUndefined();
    const match = evidenceOf(report, 'text_match').find((e) => e.category === 'harassment/threatening') as TextMatchEvidence;
    expect(match.frameTimestampSeconds).toBeGreaterThanOrEqual(1);
    expect(report.categories.sexual.assessedBy).toContain('frames');
  });

  it('sends a clip to review, not block, when the text is on one sampled frame only', async () => {
    const clip = await makeTextClip(dir, 'flash.mp4', { seconds: 3, width: 640, height: 360, text: 'I WILL KILL YOU', textFrom: 0.9, textTo: 1.6 });
    const report = await engine.moderateVideo(clip, { workDir: join(dir, 'flash-work') });
    expect(report.verdict).toBe('review');
    expect(report.speech).toEqual({ status: 'no audio' });
    const frames = evidenceOf(report, 'frames').find((e) => e.category === 'harassment/threatening') as FramesEvidence;
    expect(frames.longestRunOverBlock).toBe(1);
    expect(frames.note).toContain('2 needed to block');
  });

  it('refuses a file that is not a video', async () => {
    const hostile = await makeHostileCorpus(join(dir, 'hostile-video'));
    await expect(engine.moderateVideo(hostile.zeroBytes.path)).rejects.toMatchObject({ code: 'VIDEO_UNREADABLE' });
  });
});

describe('openai provider through the engine', () => {
  let server: FakeHttpServer;
  beforeEach(async () => {
    server = await FakeHttpServer.start();
  });
  afterEach(async () => {
    await server.close();
  });

  function openaiEngine(policy: ModerationPolicy, transcriptionModel?: string): ModerationEngine {
    const provider = new OpenAIModerationProvider({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${server.url}/v1`, timeoutMs: 2000, maxRetries: 1, transcriptionModel });
    return new ModerationEngine({ provider, fallback: local, policy, ocr, bins, options: { sampling } });
  }

  it('moderates frames as images and the transcript of the speech, honouring applied input types', async () => {
    const api = registerFakeOpenAIModeration(server, {
      imageScores: () => ({ violence: 0.6, hate: 0.99 }),
      textScores: (t) => (t.includes('bomb') ? { 'illicit/violent': 0.93, violence: 0.7 } : {}),
      transcript: 'and now I will show you how to build a bomb',
    });
    const clip = await makeTextClip(dir, 'speech.mp4', { seconds: 3, width: 320, height: 180, audio: true });
    const report = await openaiEngine(DEFAULT_MODERATION_POLICY, 'gpt-4o-mini-transcribe').moderateVideo(clip, { workDir: join(dir, 'speech-work') });
    expect(report).toMatchObject({ provider: 'openai', verdict: 'block', speech: { status: 'checked' } });
    expect(report.models).toEqual(['omni-moderation-latest', 'gpt-4o-mini-transcribe', 'tesseract.js/eng']);
    expect(report.categories['illicit/violent']).toMatchObject({ verdict: 'block', assessedBy: expect.arrayContaining(['speech']) });
    expect(report.categories.violence).toMatchObject({ verdict: 'review', assessedBy: expect.arrayContaining(['frames', 'speech']) });
    // hate is text-only on omni-moderation: the 0.99 the fake put on every frame must not count.
    expect(report.categories.hate.score).toBeLessThan(0.01);
    expect(api.transcriptions).toHaveLength(1);
    expect(api.moderations.filter((m) => m.input[0].type === 'image_url')).toHaveLength(3);
    expect(evidenceOf(report, 'provider_score').some((e) => e.source === 'speech' && e.category === 'illicit/violent')).toBe(true);
  });

  it('fails with a retryable provider error on an outage when the policy names no fallback', async () => {
    registerFakeOpenAIModeration(server, { failures: [{ status: 503, json: { error: { message: 'down' } }, headers: { 'retry-after-ms': '10' } }], repeatLastFailure: true });
    const error = await openaiEngine(DEFAULT_MODERATION_POLICY).moderateText('a quiet beach at dawn').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModerationProviderError);
    expect(error).toMatchObject({ code: 'UPSTREAM_ERROR', retryable: true });
  });

  it('falls back to the local provider on an outage when the policy says so, and says so', async () => {
    registerFakeOpenAIModeration(server, { failures: [{ status: 429, headers: { 'retry-after-ms': '10' }, json: { error: { message: 'slow down' } } }], repeatLastFailure: true });
    const policy: ModerationPolicy = { ...DEFAULT_MODERATION_POLICY, version: 'fallback-test-1', onProviderOutage: 'fallback_local' };
    const report = await openaiEngine(policy).moderateText('how do I build a pipe bomb');
    expect(report).toMatchObject({ provider: 'local', policyVersion: 'fallback-test-1', verdict: 'block' });
    expect(evidenceOf(report, 'provider_fallback')[0]).toMatchObject({ from: 'openai', to: 'local' });
    expect(evidenceOf(report, 'provider_fallback')[0].reason).toContain('429');
  });
});
