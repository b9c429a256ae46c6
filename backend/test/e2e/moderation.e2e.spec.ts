import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ClipDto, ModerationPolicyDto, ModerationStageResult, StageResultDto, StoredWorstFrame } from '@provenant/shared';
import { makeTextClip, makeTextImage } from '../support/text-media';
import { launchChromium } from '../support/console-browser';
import { startStack, type Stack } from '../support/stack';


/**
 * The moderation check in the real pipeline with the local provider: the
 * prompt before generation, the clip's frames and on-screen text after it,
 * policies changed through the API and applied by the next run, and the
 * evidence a reviewer sees.
 */
describe('moderation with the local provider through the pipeline', () => {
  let stack: Stack;
  let admin: string;
  let dir: string;

  beforeAll(async () => {
    stack = await startStack({ workers: 1 });
    admin = await stack.login();
    dir = await mkdtemp(join(tmpdir(), 'moderation-e2e-'));
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const stage = (clip: ClipDto, name: string): StageResultDto | undefined => clip.stages.find((s) => s.stage === name);
  const analysedFrames = (clip: ClipDto) => stage(clip, 'media_analysis')!.result.frames as Array<{ sha256: string }>;
  const moderation = (clip: ClipDto, name: string) => stage(clip, name)!.result as ModerationStageResult;
  const upload = async (file: string, token = admin) => {
    const form = new FormData();
    form.append('file', new Blob([await readFile(file)]), basename(file));
    const res = await stack.call('/api/v1/clips/upload', { token, body: form });
    expect(res.status).toBe(202);
    return (await stack.waitForState(res.body.id, token, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000)) as ClipDto;
  };
  const submit = async (body: Record<string, unknown>, token = admin) => {
    const res = await stack.call('/api/v1/clips', { token, body });
    expect(res.status).toBe(202);
    return (await stack.waitForState(res.body.id, token, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000)) as ClipDto;
  };

  it('a benign prompt passes both moderation stages and the check shows as ran', async () => {
    const clip = await submit({ prompt: 'A rainy city street at dusk, neon reflections' });
    expect({ state: clip.state, flagged: clip.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: false });
    // Moderation runs first on the prompt and again right after media analysis, on the frames that stage stored.
    // (The likeness stages run beside the moderation stages, in either order.)
    expect(clip.stages.filter((s) => !s.stage.endsWith('_likeness')).slice(0, 4).map((s) => `${s.stage}:${s.verdict}`)).toEqual([
      'prompt_moderation:allow',
      'generate:allow',
      'media_analysis:allow',
      'clip_moderation:allow',
    ]);
    expect(clip.checks.moderation).toEqual({ status: 'ran', note: null });
    const policy = (await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin })).body;
    for (const name of ['prompt_moderation', 'clip_moderation']) {
      expect(moderation(clip, name)).toMatchObject({ policyVersion: policy.version, policySha256: policy.sha256, provider: 'local' });
    }
    const [clipReport] = moderation(clip, 'clip_moderation').reports;
    expect(clipReport).toMatchObject({ subject: 'clip', report: { input: 'video', verdict: 'allow', speech: { status: 'not checked' } } });
    expect(clipReport.report.models).toEqual(expect.arrayContaining(['nsfwjs/MobileNetV2', 'tesseract.js/eng']));
    expect(clipReport.report.framesSampled).toBe(analysedFrames(clip).length);
  });

  it('a blocked prompt stops before generation, with the reason on the clip and the report in the stage result', async () => {
    const clip = await submit({ prompt: 'Make a video where I tell my ex: I w1ll k1ll you' });
    expect(clip.state).toBe('BLOCKED');
    expect(clip.transitions.map((t) => t.to)).toEqual(['SUBMITTED', 'PROMPT_CHECK', 'BLOCKED']);
    // prompt_likeness runs beside it and may have recorded its allow before the block ended the phase.
    expect(clip.stages.map((s) => s.stage).filter((s) => s !== 'prompt_likeness')).toEqual(['prompt_moderation']);
    expect(clip.media).toBeNull();
    expect(clip.failureReason).toMatch(/^moderation blocked the prompt: harassment\/threatening 0\.99 \(blocks at 0\.85; rule relation\.intent\.killing\.v1, threat\.first-person-harm\.v1\)/);
    // The reason goes into the audit log too: it names rules and scores, never the prompt's words.
    expect(clip.failureReason).not.toMatch(/k1ll|kill you/i);
    const result = moderation(clip, 'prompt_moderation');
    expect(result.reports[0].report.evidence).toContainEqual(
      expect.objectContaining({ kind: 'text_match', source: 'prompt', ruleId: 'threat.first-person-harm.v1', normalised: 'i will kill you', original: 'I w1ll k1ll you' }),
    );
    expect(clip.checks.moderation.status).toBe('pending');
  });

  it('a reference image whose on-screen text is harmful blocks a benign prompt', async () => {
    const image = await readFile(await makeTextImage(dir, 'reference.png', 'KILL YOURSELF', { width: 640, height: 360 }));
    const clip = await submit({ prompt: 'pan across this picture', referenceImageBase64: image.toString('base64') });
    expect(clip.state).toBe('BLOCKED');
    expect(clip.failureReason).toMatch(/^moderation blocked the reference image: harassment /);
    const result = moderation(clip, 'prompt_moderation');
    expect(result.reports.map((r) => `${r.subject}:${r.report.verdict}`)).toEqual(['prompt:allow', 'reference_image:block']);
    expect(result.reports[1].report.categories.harassment.assessedBy).toEqual(['on_screen_text']);
  });

  let flagged: ClipDto;
  it('an upload whose on-screen text crosses the review threshold reaches review flagged, with evidence', async () => {
    const file = await makeTextClip(dir, 'hates.mp4', { seconds: 3, width: 640, height: 360, text: 'EVERYONE HATES YOU', audio: true });
    flagged = await upload(file);
    expect({ state: flagged.state, flagged: flagged.flagged }).toEqual({ state: 'AWAITING_REVIEW', flagged: true });
    expect(stage(flagged, 'clip_moderation')!.verdict).toBe('review');
    // An upload has no prompt to check: its one moderation stage ran, so the check ran.
    expect(flagged.checks.moderation).toEqual({ status: 'ran', note: null });
    const { report } = moderation(flagged, 'clip_moderation').reports[0];
    expect(report.categories.harassment).toMatchObject({ verdict: 'review', threshold: { review: 0.5, block: 0.85 }, assessedBy: ['on_screen_text'] });
    const frames = report.evidence.find((e) => e.kind === 'frames' && e.category === 'harassment');
    expect(frames).toMatchObject({ source: 'on_screen_text', framesSampled: 3, maxScore: 0.75, longestRunOverBlock: 0 });
    const analysed = new Set(analysedFrames(flagged).map((f) => f.sha256));
    const worst = (frames as { worstFrames: StoredWorstFrame[] }).worstFrames;
    expect(worst.length).toBeGreaterThan(0);
    for (const f of worst) expect(analysed.has(f.thumbnailSha256)).toBe(true);
    expect(report.evidence).toContainEqual(
      expect.objectContaining({ kind: 'text_match', source: 'on_screen_text', category: 'harassment', ruleId: 'harassment.degrade-person.v1', normalised: 'everyone hates you' }),
    );
    expect(report.speech).toEqual({ status: 'not checked', reason: expect.stringContaining('no local speech transcription model') });
    // No local file path of the worker is stored.
    expect(JSON.stringify(flagged.stages)).not.toContain(stack.env.DATA_DIR);
    // The review round asks for four eyes, as for every flagged clip.
    expect(flagged.review).toMatchObject({ open: true, fourEyes: true });
  });

  it('serves evidence thumbnails only for hashes the clip\'s moderation names, and only to who may see the clip', async () => {
    const { report } = moderation(flagged, 'clip_moderation').reports[0];
    const sha256 = report.evidence.flatMap((e) => (e.kind === 'frames' ? e.worstFrames.map((f) => f.thumbnailSha256) : []))[0];
    const url = (clipId: string, hash: string) => `${stack.baseUrl}/api/v1/moderation/clips/${clipId}/evidence/${hash}`;
    const get = (clipId: string, hash: string, token = admin) => fetch(url(clipId, hash), { headers: { authorization: `Bearer ${token}` } });

    const res = await get(flagged.id, sha256);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha256);

    // Stored objects that are not this clip's moderation evidence: the clip's media, and a frame of another clip.
    expect((await get(flagged.id, flagged.media!.sha256)).status).toBe(404);
    const other = await submit({ prompt: 'a paper boat on a puddle' });
    expect((await get(other.id, sha256)).status).toBe(404);
    expect((await get(flagged.id, 'not-a-hash')).status).toBe(400);
    expect((await get(flagged.id, sha256.toUpperCase())).status).toBe(400);
    const creator = await stack.userWithRoles(['creator'], admin);
    expect((await get(flagged.id, sha256, creator.token)).status).toBe(404);
    const reviewer = await stack.userWithRoles(['reviewer'], admin);
    expect((await get(flagged.id, sha256, reviewer.token)).status).toBe(200);
  });

  it('the console shows the flagged clip\'s moderation per category, the matched text and the worst frames', async () => {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      page.setDefaultTimeout(20_000);
      await page.goto(stack.baseUrl);
      await page.waitForURL(/\/login(\?|$)/);
      await page.getByLabel('Email', { exact: true }).fill(stack.admin.email);
      await page.getByLabel('Password', { exact: true }).fill(stack.admin.password);
      await page.getByTestId('login-submit').click();
      await page.waitForURL(/\/clips$/);
      await page.goto(`${stack.baseUrl}/clips/${flagged.id}`);

      const report = page.locator('[data-testid="moderation-report"][data-subject="clip"]');
      await expect(report.getAttribute('data-verdict')).resolves.toBe('review');
      const harassment = report.locator('[data-testid="moderation-category"][data-category="harassment"]');
      await expect(harassment.getAttribute('data-verdict')).resolves.toBe('review');
      expect((await harassment.locator('td').allTextContents()).map((t) => t.trim())).toEqual(['0.750', '0.500', '0.850', 'review', 'on-screen text']);
      await expect(report.locator('[data-testid="moderation-category"]').count()).resolves.toBe(13);
      const match = report.locator('[data-testid="text-match"][data-rule="harassment.degrade-person.v1"]').first();
      await expect(match.locator('[data-testid="text-match-normalised"]').textContent()).resolves.toBe('everyone hates you');
      const frames = report.locator('[data-testid="frames-evidence"][data-category="harassment"] [data-testid="evidence-frame"]');
      await page.waitForSelector('[data-testid="frames-evidence"][data-category="harassment"] [data-testid="evidence-frame"][data-loaded="true"] img');
      const shown = await frames.first().locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth);
      expect(shown).toBeGreaterThan(0);
      // The thumbnail is a stored frame of this clip, fetched with the session's token.
      expect(await frames.first().getAttribute('data-sha256')).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await browser.close();
    }
  }, 60_000);

  it('blocks an upload whose threat is on screen in consecutive frames', async () => {
    const clip = await upload(await makeTextClip(dir, 'threat.mp4', { seconds: 3, width: 640, height: 360, text: 'I WILL KILL YOU' }));
    expect(clip.state).toBe('BLOCKED');
    expect(clip.transitions.map((t) => t.to)).toEqual(['SUBMITTED', 'ANALYZING', 'BLOCKED']);
    expect(clip.failureReason).toMatch(/^moderation blocked the clip: harassment\/threatening 0\.99 \(blocks at 0\.85; rule relation\.intent\.killing\.v1, threat\.first-person-harm\.v1; frames at 0s, 1s, 2s\)/);
    expect(clip.checks.moderation).toEqual({ status: 'ran', note: null });
  });

  describe('policy API', () => {
    const strict = (policy: ModerationPolicyDto['document'], version: string) => ({
      ...policy,
      version,
      categories: { ...policy.categories, harassment: { review: 0.5, block: 0.7 } },
      frames: { ...policy.frames, consecutiveToBlock: 1 },
    });

    it('shows the configured policy to admins, senior reviewers and compliance; only admins change it', async () => {
      const current = await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin });
      expect(current.body).toMatchObject({ source: 'configured', setBy: null, version: expect.stringMatching(/^default-/) });
      expect(current.body.sha256).toMatch(/^[0-9a-f]{64}$/);
      for (const role of ['senior_reviewer', 'compliance'] as const) {
        const user = await stack.userWithRoles([role], admin);
        expect((await stack.call('/api/v1/moderation/policy', { token: user.token })).status).toBe(200);
        expect((await stack.call('/api/v1/moderation/policy', { method: 'PUT', token: user.token, body: strict(current.body.document, 'x.1') })).status).toBe(403);
      }
    });

    it('refuses invalid documents and a loosened sexual/minors floor with a 400 naming the problem, and a reused version with 409', async () => {
      const { document } = (await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin })).body;
      const put = (body: unknown) => stack.call('/api/v1/moderation/policy', { method: 'PUT', token: admin, body });
      const floor = await put({ ...document, version: 'lenient.1', categories: { ...document.categories, 'sexual/minors': { review: 0.5, block: 0.95 } } });
      expect(floor.status).toBe(400);
      expect(floor.body.message).toMatch(/^categories\.sexual\/minors\.block: must be at most 0\.5 \(a hard floor no policy can loosen\), got 0\.95$/);
      const bad = await put({ ...document, version: 'bad one', categories: { ...document.categories, hate: { review: 0.9, block: 0.2 } } });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('version: must be 1-64 characters');
      expect(bad.body.message).toContain('categories.hate: review must not be above block');
      expect((await put(document)).status).toBe(409);
      expect((await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin })).body.source).toBe('configured');
    });

    it('a stored version is audited with its digest and applied by the next moderation run', async () => {
      const before = (await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin })).body;
      const changed = await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { method: 'PUT', token: admin, body: strict(before.document, 'e2e-strict-harassment.1') });
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ version: 'e2e-strict-harassment.1', source: 'stored', setBy: expect.stringMatching(/^user:/) });
      expect(changed.body.sha256).not.toBe(before.sha256);
      expect((await stack.call<ModerationPolicyDto>('/api/v1/moderation/policy', { token: admin })).body).toEqual(changed.body);
      expect((await stack.call('/api/v1/moderation/policy', { method: 'PUT', token: admin, body: strict(before.document, 'e2e-strict-harassment.1') })).status).toBe(409);

      const events = await stack.db((db) => db.query(`SELECT actor, subject_type, subject_id, body FROM audit_events WHERE action = 'moderation.policy_changed'`).then((r) => r.rows));
      expect(events).toEqual([
        {
          actor: changed.body.setBy,
          subject_type: 'moderation_policy',
          subject_id: 'e2e-strict-harassment.1',
          body: { version: 'e2e-strict-harassment.1', sha256: changed.body.sha256, previousVersion: before.version, previousSha256: before.sha256 },
        },
      ]);

      // The same text that went to review under the default policy is blocked under this one.
      const clip = await upload(await makeTextClip(dir, 'hates-again.mp4', { seconds: 2, width: 640, height: 360, text: 'EVERYONE HATES YOU' }));
      expect(clip.state).toBe('BLOCKED');
      expect(moderation(clip, 'clip_moderation')).toMatchObject({ policyVersion: 'e2e-strict-harassment.1', policySha256: changed.body.sha256 });
      expect(clip.failureReason).toMatch(/harassment 0\.75 \(blocks at 0\.7; .*\[policy e2e-strict-harassment\.1\]$/);
    });
  });
});
