import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ClipDto, ModerationStageResult, PromptAppealDto } from '@provenant/shared';
import { launchChromium } from '../support/console-browser';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
  email?: string;
}

const ROOT = resolve(__dirname, '../../..');
const BOXER = 'a boxer knocks out his opponent, blood spraying from his nose in slow motion';
const APPEAL_REASON = 'a boxing match filmed for a sports documentary; the blood is a sports injury, not glorified violence';
const GRANT_NOTE = 'a sports scene; the moderation rule cannot see that it is a boxing match';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * The appeal of a prompt block through the real api, worker and CLI: the
 * boxer prompt of issue 16 is blocked before generation, its creator
 * appeals, a senior reviewer grants, the clip is generated and reaches
 * review flagged (two approvals, one senior) without its granter; a denial,
 * a second appeal, someone else's clip and clips in the wrong state are refused.
 */
describe('appealing a prompt block', () => {
  let stack: Stack;
  let admin: string;
  let creator: User;
  let otherCreator: User;
  let creatorSenior: User;
  let reviewer: User;
  let reviewer2: User;
  let senior: User;
  let senior2: User;

  // Asynchronously, so this process keeps serving its own connections to the api meanwhile.
  const cli = (args: string[], who: User) =>
    new Promise<{ code: number | null; stderr: string; json: () => any }>((done) =>
      execFile(
        'npx',
        ['--no-install', 'provenant', ...args, '--json'],
        { cwd: ROOT, env: { ...process.env, PROVENANT_SERVER: stack.baseUrl, PROVENANT_TOKEN: who.token }, encoding: 'utf8', timeout: 120_000 },
        (err, stdout, stderr) => done({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr, json: () => JSON.parse(stdout) }),
      ),
    );
  const submit = async (prompt: string, who: User) => {
    const res = await stack.call('/api/v1/clips', { token: who.token, body: { prompt } });
    expect(res.status).toBe(202);
    return (await stack.waitForState(res.body.id, who.token, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000)) as ClipDto;
  };
  const appeal = (clipId: string, who: User, body: unknown = { reason: APPEAL_REASON }) => stack.call(`/api/v1/clips/${clipId}/appeal`, { token: who.token, body });
  const decideAppeal = (clipId: string, who: User, body: Record<string, unknown>) => stack.call(`/api/v1/review/appeals/${clipId}`, { token: who.token, body });
  const appeals = (who: User, status = '') => stack.call<PromptAppealDto[]>(`/api/v1/review/appeals${status && `?status=${status}`}`, { token: who.token });
  const get = (clipId: string, token = admin) => stack.call<ClipDto>(`/api/v1/clips/${clipId}`, { token }).then((r) => r.body);
  const claim = (who: User, clipId: string) => stack.call('/api/v1/review/claim', { token: who.token, body: { clipId } });
  const approve = (who: User, clipId: string) => stack.call(`/api/v1/review/${clipId}/decision`, { token: who.token, body: { decision: 'approve', reasonCode: 'APPROVE_FLAG_FALSE_POSITIVE' } });
  const auditOf = (clipId: string) =>
    stack.db((db) => db.query(`SELECT actor, action, body FROM audit_events WHERE subject_type = 'clip' AND subject_id = $1 ORDER BY id`, [clipId]).then((r) => r.rows));

  beforeAll(async () => {
    // ALLOW_CONFLICTING_ROLES: a creator who is also a senior reviewer, to show such a person cannot let their own prompt through.
    stack = await startStack({ workers: 1, env: { ALLOW_CONFLICTING_ROLES: 'true' } });
    admin = await stack.login();
    const make = (roles: string[]) => stack.userWithRoles(roles, admin);
    [creator, otherCreator, creatorSenior, reviewer, reviewer2, senior, senior2] = await Promise.all([
      make(['creator']),
      make(['creator']),
      make(['creator', 'senior_reviewer']),
      make(['reviewer']),
      make(['reviewer']),
      make(['senior_reviewer']),
      make(['senior_reviewer']),
    ]);
  }, 120_000);
  afterAll(() => stack?.stop());

  let boxer: ClipDto;
  it('a blocked prompt is appealed once, by its submitter, with a written reason (CLI)', async () => {
    boxer = await submit(BOXER, creator);
    const stages = boxer.stages.map((s) => s.stage).filter((s) => s !== 'prompt_likeness'); // it runs beside prompt_moderation
    expect({ state: boxer.state, media: boxer.media, stages }).toEqual({ state: 'BLOCKED', media: null, stages: ['prompt_moderation'] });
    expect(boxer.failureReason).toMatch(/^moderation blocked the prompt: violence/);
    // Before this path, a false positive at the prompt was final: there is still nothing to override.
    expect((await stack.call(`/api/v1/review/${boxer.id}/override`, { token: senior.token, body: { reason: 'a sports scene, let it through' } })).body.message).toMatch(/stopped before it had any media; .*its submitter may appeal the block/);

    expect((await appeal(boxer.id, otherCreator)).status).toBe(404);
    const byAdmin = await appeal(boxer.id, { id: '', token: admin });
    expect({ status: byAdmin.status, message: byAdmin.body.message }).toEqual({ status: 403, message: `clip ${boxer.id}: only the person who submitted it may appeal its block` });
    expect((await appeal(boxer.id, creator, {})).body).toMatchObject({ statusCode: 400, message: 'reason: is required: a written reason' });
    expect((await appeal(boxer.id, creator, { reason: '   too short  ' })).body.message).toBe('reason: must be a written reason of at least 10 characters');
    expect((await appeal(boxer.id, creator, { reason: 'x'.repeat(2001) })).body.message).toBe('reason: must be at most 2000 characters');
    expect((await appeal(boxer.id, creator, { reason: APPEAL_REASON, extra: 1 })).status).toBe(400);
    expect((await appeal('not-a-uuid', creator)).body.message).toBe('id: must be a clip id (UUID)');
    expect((await get(boxer.id)).appeal).toBeNull();

    const filed = await cli(['clips', 'appeal', boxer.id, '--reason', APPEAL_REASON], creator);
    expect({ code: filed.code, stderr: filed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(filed.json()).toEqual({ clipId: boxer.id, status: 'pending', state: 'BLOCKED' });
    const again = await appeal(boxer.id, creator);
    expect({ status: again.status, message: again.body.message }).toEqual({ status: 409, message: `clip ${boxer.id} was already appealed (the appeal is pending); a block is appealed once` });
    const twice = await cli(['clips', 'appeal', boxer.id, '--reason', APPEAL_REASON], creator);
    expect({ code: twice.code, stderr: twice.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/already appealed/) });

    expect((await get(boxer.id, creator.token)).appeal).toEqual({ status: 'pending', appealedAt: expect.any(String), reason: APPEAL_REASON, decision: null });
  });

  it('senior reviewers see the appeal with the moderation evidence that blocked the prompt', async () => {
    expect((await appeals(reviewer)).status).toBe(403);
    expect((await appeals(creator)).status).toBe(403);
    expect(((await appeals(senior, 'maybe')).body as unknown as { message: string }).message).toBe('status: must be one of pending, granted, denied');
    const listed = (await appeals(senior)).body.find((a) => a.clipId === boxer.id)!;
    expect(listed).toMatchObject({ state: 'BLOCKED', prompt: BOXER, submittedBy: creator.id, blockReason: boxer.failureReason, appeal: { status: 'pending', reason: APPEAL_REASON } });
    const report = (listed.moderation as ModerationStageResult).reports[0].report;
    expect(report.verdict).toBe('block');
    expect(report.categories['violence/graphic'].verdict).toBe('block');
    const fromCli = await cli(['review', 'appeals'], senior);
    expect(fromCli.code).toBe(0);
    expect(fromCli.json().items.map((a: PromptAppealDto) => a.clipId)).toContain(boxer.id);
  });

  it('a senior grants it: the prompt is generated and reaches review flagged, four eyes with a senior, never its granter', async () => {
    expect((await decideAppeal(boxer.id, reviewer, { decision: 'grant', reasonCode: 'GRANT_FALSE_POSITIVE', note: GRANT_NOTE })).status).toBe(403);
    expect((await decideAppeal(boxer.id, senior, { decision: 'grant', reasonCode: 'DENY_BLOCK_CORRECT', note: GRANT_NOTE })).body.message).toMatch(
      /^reasonCode: "DENY_BLOCK_CORRECT" is not a reason to grant an appeal in catalog [\d.-]+; valid: GRANT_FALSE_POSITIVE, GRANT_LEGITIMATE_CONTEXT$/,
    );
    expect((await decideAppeal(boxer.id, senior, { decision: 'grant', reasonCode: 'GRANT_FALSE_POSITIVE' })).body.message).toBe('note: is required: a written note');
    expect((await decideAppeal(boxer.id, senior, { decision: 'allow', reasonCode: 'GRANT_FALSE_POSITIVE', note: GRANT_NOTE })).body.message).toBe('decision: must be one of grant, deny');
    const badCli = await cli(['review', 'appeal', boxer.id, '--grant', '--deny', '--reason', 'GRANT_FALSE_POSITIVE', '--note', GRANT_NOTE], senior);
    expect({ code: badCli.code, stderr: badCli.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/exactly one of --grant or --deny/) });

    const granted = await cli(['review', 'appeal', boxer.id, '--grant', '--reason', 'GRANT_LEGITIMATE_CONTEXT', '--note', GRANT_NOTE], senior);
    expect({ code: granted.code, stderr: granted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(granted.json()).toEqual({ clipId: boxer.id, status: 'granted', state: 'GENERATING' });
    expect((await decideAppeal(boxer.id, senior2, { decision: 'deny', reasonCode: 'DENY_BLOCK_CORRECT', note: 'too late to deny this one' })).body.message).toBe(
      `clip ${boxer.id}: its appeal was already granted`,
    );

    const reviewed = (await stack.waitForState(boxer.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000)) as ClipDto;
    expect({ state: reviewed.state, why: reviewed.failureReason }).toEqual({ state: 'AWAITING_REVIEW', why: null });
    expect(reviewed.media).not.toBeNull();
    expect(reviewed.transitions.map((t) => t.to)).toEqual(['SUBMITTED', 'PROMPT_CHECK', 'BLOCKED', 'GENERATING', 'ANALYZING', 'AWAITING_REVIEW']);
    expect(reviewed.transitions[3].reason).toBe('prompt block lifted on appeal by a senior reviewer (GRANT_LEGITIMATE_CONTEXT)');
    expect(reviewed.stages.map((s) => s.stage)).toEqual(expect.arrayContaining(['prompt_moderation', 'generate', 'media_analysis', 'clip_moderation', 'watermark']));
    // The demo generator draws the prompt as a caption, which the clip moderation reads and would block on again:
    // the grant covers the categories the prompt was blocked in, so the clip is flagged for review instead.
    const clipModeration = reviewed.stages.find((s) => s.stage === 'clip_moderation')!;
    expect({ verdict: clipModeration.verdict, granted: (clipModeration.result as ModerationStageResult).grantedOnAppeal }).toEqual({ verdict: 'review', granted: ['violence/graphic'] });
    // Exactly as an overridden block: flagged, a high-priority four-eyes round caused by the override.
    expect(reviewed.flagged).toBe(true);
    expect(reviewed.review).toMatchObject({ round: 1, cause: 'blocked_override', priority: 'high', open: true, fourEyes: true, approvalsNeeded: 2 });
    expect(reviewed.appeal).toMatchObject({ status: 'granted', decision: { decision: 'grant', reasonCode: 'GRANT_LEGITIMATE_CONTEXT', deciderId: senior.id } });
    // The creator sees the outcome, not who decided.
    expect((await get(boxer.id, creator.token)).appeal!.decision!.deciderId).toBeNull();

    // The granter never reviews the round; one reviewer's approval is not enough; the second must be a senior's.
    expect((await claim(senior, boxer.id)).body.message).toMatch(/you brought it back to review/);
    expect((await claim(reviewer, boxer.id)).status).toBe(200);
    expect((await approve(reviewer, boxer.id)).body).toMatchObject({ final: false, approvals: 1, approvalsNeeded: 2 });
    expect((await claim(reviewer2, boxer.id)).body.message).toBe(`clip ${boxer.id}: its remaining approval must be a senior reviewer's`);
    expect((await claim(senior2, boxer.id)).status).toBe(200);
    expect((await approve(senior2, boxer.id)).body).toMatchObject({ final: true, approvals: 2, state: 'SIGNING' });
    const released = (await stack.waitForState(boxer.id, admin, ['RELEASED', 'FAILED'], 90_000)) as ClipDto;
    expect({ state: released.state, why: released.failureReason }).toEqual({ state: 'RELEASED', why: null });

    // Audited end to end, the writing only as hashes.
    const events = await auditOf(boxer.id);
    expect(events.find((e) => e.action === 'clip.appealed')).toEqual({ actor: `user:${creator.id}`, action: 'clip.appealed', body: { reasonSha256: sha256(APPEAL_REASON) } });
    expect(events.find((e) => e.action === 'review.appeal_decided')).toEqual({
      actor: `user:${senior.id}`,
      action: 'review.appeal_decided',
      body: { decision: 'grant', reasonCode: 'GRANT_LEGITIMATE_CONTEXT', reasonCatalogVersion: expect.any(String), noteSha256: sha256(GRANT_NOTE), round: 1 },
    });
    expect(events.find((e) => e.action === 'clip.transition' && e.body.from === 'BLOCKED')).toMatchObject({
      actor: `user:${senior.id}`,
      body: { from: 'BLOCKED', to: 'GENERATING', cause: 'blocked_override', reasonSha256: sha256(GRANT_NOTE), reasonCode: 'GRANT_LEGITIMATE_CONTEXT' },
    });
    expect(events.find((e) => e.action === 'review.queued')!.body).toMatchObject({ round: 1, cause: 'blocked_override', fourEyes: true, priority: 'high' });
    expect(JSON.stringify(events)).not.toContain('boxing match');
  });

  it('a denied appeal keeps the block, is decided once, and the writing is erasable', async () => {
    const clip = await submit(BOXER, otherCreator);
    expect(clip.state).toBe('BLOCKED');
    expect((await decideAppeal(clip.id, senior, { decision: 'deny', reasonCode: 'DENY_BLOCK_CORRECT', note: 'no appeal has been filed yet' })).status).toBe(404);
    expect((await appeal(clip.id, otherCreator)).status).toBe(201);
    const denied = await decideAppeal(clip.id, senior, { decision: 'deny', reasonCode: 'DENY_REWRITE_NEEDED', note: 'describe the match without the blood spray' });
    expect(denied.body).toEqual({ clipId: clip.id, status: 'denied', state: 'BLOCKED' });
    expect((await decideAppeal(clip.id, senior2, { decision: 'grant', reasonCode: 'GRANT_FALSE_POSITIVE', note: 'a second opinion on the denial' })).body.message).toBe(`clip ${clip.id}: its appeal was already denied`);
    expect((await appeal(clip.id, otherCreator)).body.message).toMatch(/already appealed \(the appeal is denied\)/);
    const after = await get(clip.id, otherCreator.token);
    expect({ state: after.state, flagged: after.flagged, review: after.review }).toEqual({ state: 'BLOCKED', flagged: false, review: null });
    expect(after.appeal).toMatchObject({ status: 'denied', decision: { decision: 'deny', reasonCode: 'DENY_REWRITE_NEEDED', reasonLabel: expect.stringMatching(/rewritten/), deciderId: null } });
    expect((await appeals(senior, 'denied')).body.map((a) => a.clipId)).toContain(clip.id);
    expect((await appeals(senior)).body.map((a) => a.clipId)).not.toContain(clip.id);
    expect((await auditOf(clip.id)).filter((e) => e.action === 'review.appeal_decided').map((e) => e.body)).toEqual([
      { decision: 'deny', reasonCode: 'DENY_REWRITE_NEEDED', reasonCatalogVersion: expect.any(String), noteSha256: sha256('describe the match without the blood spray'), round: null },
    ]);

    expect((await stack.call(`/api/v1/users/${otherCreator.id}/personal-data`, { token: admin, method: 'DELETE' })).status).toBe(200);
    expect((await stack.call(`/api/v1/users/${senior.id}/personal-data`, { token: admin, method: 'DELETE' })).status).toBe(200);
    const stored = await stack.db((db) => db.query(`SELECT reason, reason_sha256, note, note_sha256 FROM prompt_appeals WHERE clip_id = $1`, [clip.id]).then((r) => r.rows[0]));
    expect(stored).toEqual({ reason: null, reason_sha256: sha256(APPEAL_REASON), note: null, note_sha256: sha256('describe the match without the blood spray') });
  });

  it('refuses appeals of clips that were not stopped at the prompt, and a submitter deciding their own', async () => {
    const passed = await submit('a paper boat on a puddle', creator);
    expect(passed.state).toBe('AWAITING_REVIEW');
    const wrongState = await appeal(passed.id, creator);
    expect({ status: wrongState.status, message: wrongState.body.message }).toEqual({
      status: 409,
      message: `clip ${passed.id} is AWAITING_REVIEW; only a prompt blocked before generation can be appealed`,
    });
    expect((await appeal('00000000-0000-4000-8000-000000000000', creator)).status).toBe(404);

    const own = await submit(BOXER, creatorSenior);
    expect((await appeal(own.id, creatorSenior)).status).toBe(201);
    const self = await decideAppeal(own.id, creatorSenior, { decision: 'grant', reasonCode: 'GRANT_FALSE_POSITIVE', note: 'my own prompt is fine, honestly' });
    expect({ status: self.status, message: self.body.message }).toEqual({ status: 403, message: `clip ${own.id}: you submitted it, so someone else must decide its appeal` });
    expect((await get(own.id)).state).toBe('BLOCKED');
  });

  it('in the console: the creator appeals on the clip page, a senior reviewer grants from the appeals list', async () => {
    const clip = await submit(BOXER, creator);
    const browser = await launchChromium();
    try {
      const signIn = async (who: User) => {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.goto(stack.baseUrl);
        await page.waitForURL(/\/login(\?|$)/);
        await page.getByLabel('Email', { exact: true }).fill(who.email!);
        await page.getByLabel('Password', { exact: true }).fill('password-for-tests');
        await page.getByTestId('login-submit').click();
        await page.waitForURL((url) => !url.pathname.startsWith('/login'));
        return page;
      };
      const mine = await signIn(creator);
      await mine.goto(`${stack.baseUrl}/clips/${clip.id}`);
      const panel = mine.getByTestId('appeal');
      await expect(panel.getAttribute('data-status')).resolves.toBe('none');
      await expect(mine.getByTestId('submit-appeal').isDisabled()).resolves.toBe(true);
      await mine.getByTestId('appeal-reason-input').fill(APPEAL_REASON);
      await mine.getByTestId('submit-appeal').click();
      await mine.waitForSelector('[data-testid="appeal"][data-status="pending"]');
      await expect(mine.getByTestId('appeal-reason').textContent()).resolves.toBe(APPEAL_REASON);

      const theirs = await signIn(senior2);
      await expect(theirs.getByTestId('nav-appeals').isVisible()).resolves.toBe(true);
      await theirs.getByTestId('nav-appeals').click();
      const row = theirs.locator(`[data-testid="appeal-row"][data-clip-id="${clip.id}"]`);
      await expect(row.textContent()).resolves.toContain('violence/graphic');
      await row.getByTestId('open-appeal').click();
      await theirs.waitForSelector('[data-testid="opened-appeal"] [data-testid="moderation-report"][data-verdict="block"]');
      await theirs.getByLabel('Grant: let it go on to generation').check();
      await theirs.getByText('the prompt block was a false positive').click();
      await theirs.getByTestId('appeal-note').fill(GRANT_NOTE);
      await theirs.getByTestId('submit-appeal-decision').click();
      await expect(theirs.getByTestId('appeal-outcome').textContent()).resolves.toBe('Appeal granted; the clip is now GENERATING.');

      // The creator's page follows by itself (the lifecycle's events).
      await mine.waitForSelector('[data-testid="appeal"][data-status="granted"]');
      expect((await stack.waitForState(clip.id, admin, ['AWAITING_REVIEW', 'BLOCKED', 'FAILED'], 90_000)).review).toMatchObject({ cause: 'blocked_override', fourEyes: true });
    } finally {
      await browser.close();
    }
  }, 120_000);
});
