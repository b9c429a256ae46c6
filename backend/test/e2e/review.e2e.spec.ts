import { createHash } from 'node:crypto';
import { CLIP_STATES } from '@provenant/shared';
import { auditEventLeafHash, openSignedCheckpoint, verifyInclusion } from '../../src/engines/merkle-log';
import { startStack, type Stack } from '../support/stack';

interface User {
  id: string;
  token: string;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/**
 * Human review through the real api and worker processes: queue, leased
 * claims, decisions under the four rules, the release gate and downloads.
 */
describe('human review, release gate and download', () => {
  let stack: Stack;
  let admin: string;
  let creator: User;
  let otherCreator: User;
  let creatorReviewer: User;
  let creatorSenior: User;
  let reviewer: User;
  let reviewer2: User;
  let senior: User;
  let compliance: User;
  let publisher: User;
  let adminSenior: User;
  const clip: Record<string, string> = {};

  const claim = (who: User, clipId?: string) => stack.call('/api/v1/review/claim', { token: who.token, body: clipId ? { clipId } : {} });
  const decide = (who: User, clipId: string, decision: string, reasonCode: string, note?: string) =>
    stack.call(`/api/v1/review/${clipId}/decision`, { token: who.token, body: { decision, reasonCode, ...(note === undefined ? {} : { note }) } });
  const get = (clipId: string) => stack.call(`/api/v1/clips/${clipId}`, { token: admin }).then((r) => r.body);
  const queue = () => stack.call('/api/v1/review/queue', { token: reviewer.token }).then((r) => r.body as { clipId: string; priority: string; dueAt: string; overdue: boolean; [k: string]: unknown }[]);
  const auditOf = (clipId: string) =>
    stack.db((db) => db.query(`SELECT actor, action, body FROM audit_events WHERE subject_type = 'clip' AND subject_id = $1 ORDER BY id`, [clipId]).then((r) => r.rows));
  // A clip blocked by clip moderation, written directly as the pipeline would leave it (harmful content is not
  // needed for these rules): the unwatermarked media and the media analysis of another clip, stopped in ANALYZING.
  const insertBlocked = (owner: User, withMediaOf: string | null) =>
    stack.db(async (db) => {
      const source = withMediaOf
        ? (await db.query(`SELECT s.result->>'sourceSha256' AS media_sha256, c.media FROM clips c JOIN stage_results s ON s.clip_id = c.id AND s.stage = 'watermark' WHERE c.id = $1`, [withMediaOf])).rows[0]
        : { media_sha256: null, media: null };
      const { rows } = await db.query(
        `INSERT INTO clips (state, source, prompt, created_by, flagged, failure_reason, media_sha256, media)
         VALUES ('BLOCKED', 'prompt', 'blocked prompt', $1, false, 'moderation: hard policy rule', $2, $3) RETURNING id`,
        [owner.id, source.media_sha256, source.media],
      );
      if (withMediaOf) {
        await db.query(
          `INSERT INTO stage_results (clip_id, stage, status, verdict, attempts, result, error, started_at, finished_at)
           SELECT $1, stage, status, verdict, attempts, result, error, started_at, finished_at FROM stage_results WHERE clip_id = $2 AND stage = 'media_analysis'`,
          [rows[0].id, withMediaOf],
        );
      }
      return rows[0].id as string;
    });

  beforeAll(async () => {
    // ALLOW_CONFLICTING_ROLES: an admin who is also a senior reviewer, to show such a person still cannot overturn alone.
    stack = await startStack({ workers: 0, env: { REVIEW_LEASE_SECONDS: '3', REVIEW_SLA_NORMAL_SECONDS: '2', REVIEW_SLA_HIGH_SECONDS: '3600', ALLOW_CONFLICTING_ROLES: 'true' } });
    admin = await stack.login();
    const make = (roles: string[]) => stack.userWithRoles(roles, admin);
    [creator, otherCreator, creatorReviewer, creatorSenior, reviewer, reviewer2, senior, compliance, publisher, adminSenior] = await Promise.all([
      make(['creator']),
      make(['creator']),
      make(['creator', 'reviewer']),
      make(['creator', 'senior_reviewer']),
      make(['reviewer']),
      make(['reviewer']),
      make(['senior_reviewer']),
      make(['compliance']),
      make(['publisher']),
      make(['admin', 'senior_reviewer']),
    ]);
    const submit = async (name: string, who: User) => {
      const res = await stack.call('/api/v1/clips', { token: who.token, body: { prompt: `review test clip ${name}` } });
      expect(res.status).toBe(202);
      clip[name] = res.body.id;
    };
    for (const name of ['plain', 'flagged', 'rejected', 'escalated', 'lease', 'waitingHigh', 'waitingNormal']) await submit(name, creator);
    await submit('own', creatorReviewer);
    // Flag these directly, before any worker runs, as a check would.
    await stack.db((db) => db.query(`UPDATE clips SET flagged = true WHERE id = ANY($1)`, [[clip.flagged, clip.waitingHigh]]));
    stack.startWorker();
    // Eight clips through one worker: allow for a loaded machine.
    await Promise.all(Object.values(clip).map((id) => stack.waitForState(id, admin, ['AWAITING_REVIEW'], 240_000)));
  }, 300_000);
  afterAll(() => stack?.stop());

  it('approves a clip, signs it at the release gate and serves the signed copy of the approved file', async () => {
    const id = clip.plain;
    const claimed = await claim(reviewer, id);
    expect(claimed.status).toBe(200);
    expect(Object.keys(claimed.body).sort()).toEqual(['clipId', 'leaseExpiresAt']);
    expect(claimed.body.clipId).toBe(id);
    const beat = await stack.call(`/api/v1/review/${id}/heartbeat`, { token: reviewer.token, method: 'POST' });
    expect(beat.status).toBe(200);
    expect(Date.parse(beat.body.leaseExpiresAt)).toBeGreaterThanOrEqual(Date.parse(claimed.body.leaseExpiresAt));

    const decided = await decide(reviewer, id, 'approve', 'APPROVE_POLICY_COMPLIANT');
    expect(decided.status).toBe(200);
    expect(decided.body).toEqual({ clipId: id, decision: 'approve', state: 'SIGNING', approvals: 1, approvalsNeeded: 1, final: true });

    const released = await stack.waitForState(id, admin, ['RELEASED', 'FAILED']);
    expect(released.state).toBe('RELEASED');
    expect(released.transitions.map((t: { to: string }) => t.to).slice(-4)).toEqual(['AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']);
    expect(released.release).toEqual({ sha256: released.media.sha256, signed: true, note: null, releasedAt: expect.any(String) });
    expect(released.checks.signing.status).toBe('ran');
    const signing = released.stages.find((s: { stage: string }) => s.stage === 'signing');
    expect(signing.result).toMatchObject({ approvedSha256: (await stack.db((db) => db.query('SELECT approved_media_sha256 FROM review_items WHERE clip_id = $1', [id]))).rows[0].approved_media_sha256 });
    expect(released.review).toMatchObject({ round: 1, open: false, approvals: 1, approvalsNeeded: 1, fourEyes: false });
    expect(released.review.decisions).toEqual([expect.objectContaining({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT', reviewerId: reviewer.id, senior: false })]);

    const audit = await auditOf(id);
    const actions = audit.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['review.queued', 'review.claimed', 'review.decision']));
    const release = audit.find((e) => e.action === 'clip.transition' && e.body.to === 'RELEASED');
    expect(release.body).toMatchObject({ from: 'SIGNING', releasedSha256: released.media.sha256, signed: true, note: null });
    expect(audit.find((e) => e.action === 'review.decision').actor).toBe(`user:${reviewer.id}`);

    const download = await fetch(`${stack.baseUrl}/api/v1/clips/${id}/download`, { headers: { authorization: `Bearer ${creator.token}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('video/mp4');
    expect(download.headers.get('x-provenant-signed')).toBe('true');
    expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${id}.mp4"`);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(released.media.sha256);
    const downloads = (await auditOf(id)).filter((e) => e.action === 'clip.downloaded');
    expect(downloads).toEqual([{ actor: `user:${creator.id}`, action: 'clip.downloaded', body: { sha256: released.media.sha256, signed: true, bytes: released.media.bytes } }]);

    // Every event of this story, from submission to download, is included in a signed checkpoint.
    // Searching the log first places (sequences) everything committed so far.
    await stack.call('/api/v1/audit/events?limit=1', { token: compliance.token });
    const story = await stack.db((db) =>
      db
        .query(`SELECT seq::int AS seq, at, actor, action, subject_type AS "subjectType", subject_id AS "subjectId", body FROM audit_events WHERE subject_id = $1 ORDER BY id`, [id])
        .then((r) => r.rows),
    );
    const last = Math.max(...story.map((e) => e.seq as number));
    const latest = () => stack.call('/api/v1/audit/checkpoints/latest', { token: compliance.token }).then((r) => r.body);
    await stack.waitFor(async () => (await latest()).treeSize >= last, 20_000, `a checkpoint covering seq ${last}`);
    const treeSize = (await latest()).treeSize;
    const publicKey = (await stack.call('/api/v1/audit/public-key')).body as string;
    expect(story.map((e) => e.action)).toEqual(expect.arrayContaining(['clip.submitted', 'review.queued', 'review.claimed', 'review.decision', 'stage.completed', 'clip.downloaded']));
    for (const event of story) {
      const proof = (await stack.call(`/api/v1/audit/proofs/inclusion?seq=${event.seq}&treeSize=${treeSize}`, { token: compliance.token })).body;
      const checkpoint = openSignedCheckpoint(proof.checkpoint.signedNote, publicKey);
      const path = proof.path.map((h: string) => Buffer.from(h, 'hex'));
      expect(verifyInclusion(event.seq - 1, treeSize, auditEventLeafHash(event), path, checkpoint.rootHash)).toBe(true);
    }
  });

  it('a flagged clip needs two approvals from two people, at least one a senior reviewer', async () => {
    const id = clip.flagged;
    expect((await get(id)).review).toMatchObject({ priority: 'high', fourEyes: true, approvalsNeeded: 2 });
    expect((await claim(reviewer, id)).status).toBe(200);
    const first = await decide(reviewer, id, 'approve', 'APPROVE_FLAG_FALSE_POSITIVE');
    expect(first.body).toEqual({ clipId: id, decision: 'approve', state: 'AWAITING_REVIEW', approvals: 1, approvalsNeeded: 2, final: false });

    // The same person cannot give the second approval, nor even claim the clip again.
    const again = await claim(reviewer, id);
    expect({ status: again.status, message: again.body.message }).toEqual({ status: 409, message: expect.stringMatching(/you already approved it in this round/) });
    expect((await decide(reviewer, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).status).toBe(409);
    // A second reviewer who is not senior cannot complete it either.
    const item = (await queue()).find((q) => q.clipId === id);
    expect(item).toMatchObject({ approvals: 1, approvalsNeeded: 2, seniorApprovalNeeded: true, claim: null });
    // Claims by id follow claim-next's eligibility, so the junior cannot even take it.
    const junior = await claim(reviewer2, id);
    expect({ status: junior.status, message: junior.body.message }).toEqual({ status: 403, message: expect.stringMatching(/remaining approval must be a senior reviewer's/) });
    expect((await stack.call(`/api/v1/review/${id}/claim`, { token: reviewer2.token, method: 'DELETE' })).status).toBe(409);

    expect((await claim(senior, id)).status).toBe(200);
    const second = await decide(senior, id, 'approve', 'APPROVE_POLICY_COMPLIANT');
    expect(second.body).toMatchObject({ state: 'SIGNING', approvals: 2, approvalsNeeded: 2, final: true });
    const released = await stack.waitForState(id, admin, ['RELEASED', 'FAILED']);
    expect(released.state).toBe('RELEASED');
    expect(released.review.decisions.map((d: { reviewerId: string; senior: boolean }) => [d.reviewerId, d.senior])).toEqual([
      [reviewer.id, false],
      [senior.id, true],
    ]);
    const rows = await stack.db((db) => db.query(`SELECT reviewer_id FROM review_decisions WHERE clip_id = $1 AND decision = 'approve'`, [id]).then((r) => r.rows));
    expect(rows).toHaveLength(2);
  });

  it('an escalated clip goes back to the queue first in line and then needs four eyes', async () => {
    const id = clip.escalated;
    expect((await decide(reviewer, id, 'escalate', 'ESCALATE_LEGAL')).status).toBe(409); // no claim yet
    expect((await claim(reviewer, id)).status).toBe(200);
    const wrongCode = await decide(reviewer, id, 'escalate', 'REJECT_VIOLENCE');
    expect({ status: wrongCode.status, message: wrongCode.body.message }).toEqual({ status: 400, message: expect.stringMatching(/^reasonCode: "REJECT_VIOLENCE" is not a reason to escalate in catalog/) });
    expect((await decide(reviewer, id, 'maybe', 'ESCALATE_LEGAL')).body.message).toMatch(/^decision: must be one of approve, reject, escalate/);
    const escalated = await decide(reviewer, id, 'escalate', 'ESCALATE_LEGAL', 'needs a lawyer to look at the logo in frame 3');
    expect(escalated.body).toEqual({ clipId: id, decision: 'escalate', state: 'AWAITING_REVIEW', approvals: 0, approvalsNeeded: 2, final: false });
    expect((await queue()).find((q) => q.clipId === id)).toMatchObject({ priority: 'high', escalated: true, approvalsNeeded: 2, claim: null });

    expect((await claim(reviewer2, id)).status).toBe(200);
    expect((await decide(reviewer2, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).body).toMatchObject({ approvals: 1, final: false });
    expect((await claim(senior, id)).status).toBe(200);
    expect((await decide(senior, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).body).toMatchObject({ approvals: 2, final: true });
    expect((await stack.waitForState(id, admin, ['RELEASED', 'FAILED'])).state).toBe('RELEASED');
  });

  it('a rejection is final unless an admin reopens it with a written reason', async () => {
    const id = clip.rejected;
    expect((await claim(reviewer, id)).status).toBe(200);
    const note = 'the crowd includes a recognisable neighbour of mine';
    const rejected = await decide(reviewer, id, 'reject', 'REJECT_LIKENESS', note);
    expect(rejected.body).toEqual({ clipId: id, decision: 'reject', state: 'REJECTED', approvals: 0, approvalsNeeded: 1, final: true });
    // The note stays in the erasable decisions table; the audit log holds only its hash.
    const decisionEvent = (await auditOf(id)).find((e) => e.action === 'review.decision');
    expect(decisionEvent.body).toMatchObject({ decision: 'reject', reasonCode: 'REJECT_LIKENESS', noteSha256: sha256(note), final: true });
    expect(JSON.stringify(await auditOf(id))).not.toContain('neighbour');

    // Nobody can decide on it or bring it back but an admin with a reason.
    expect((await claim(reviewer2, id)).body.message).toMatch(/is not awaiting review \(it is REJECTED\)/);
    expect((await decide(reviewer, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).status).toBe(409);
    expect((await stack.call(`/api/v1/review/${id}/reopen`, { token: senior.token, body: { reason: 'I disagree with this rejection' } })).status).toBe(403);
    expect((await stack.call(`/api/v1/review/${id}/override`, { token: senior.token, body: { reason: 'I disagree with this rejection' } })).body.message).toMatch(
      /is REJECTED; only a BLOCKED clip can be overridden/,
    );
    expect((await stack.call(`/api/v1/review/${id}/reopen`, { token: admin, body: {} })).body.message).toBe('reason: is required: a written reason');
    expect((await stack.call(`/api/v1/review/${id}/reopen`, { token: admin, body: { reason: 'nope' } })).body.message).toMatch(/^reason: must be a written reason of at least 10/);
    const reason = 'creator showed a signed model release for the person in the crowd';
    // Reopened by someone who is also a senior reviewer: they still may not review the round they reopened.
    const reopened = await stack.call(`/api/v1/review/${id}/reopen`, { token: adminSenior.token, body: { reason } });
    expect(reopened.body).toEqual({ clipId: id, state: 'AWAITING_REVIEW', round: 2 });
    expect((await stack.call(`/api/v1/review/${id}/reopen`, { token: admin, body: { reason } })).status).toBe(409);
    const events = await auditOf(id);
    expect(events.find((e) => e.action === 'review.reopened').body).toEqual({ round: 2, reasonSha256: sha256(reason) });
    expect(JSON.stringify(events)).not.toContain('model release');

    // Round 2 is four-eyes (two people, one a senior), and neither may be the one who reopened it.
    expect((await get(id)).review).toMatchObject({ round: 2, cause: 'rejection_reopen', open: true, approvals: 0, fourEyes: true, approvalsNeeded: 2 });
    const own = await claim(adminSenior, id);
    expect({ status: own.status, message: own.body.message }).toEqual({ status: 403, message: expect.stringMatching(/you brought it back to review, so two other people must review this round/) });
    for (let i = 0; i < 3; i++) {
      const next = await claim(adminSenior);
      if (next.status === 404) break;
      expect(next.body.clipId).not.toBe(id);
      expect((await stack.call(`/api/v1/review/${next.body.clipId}/claim`, { token: adminSenior.token, method: 'DELETE' })).status).toBe(204);
    }
    // The reviewer who rejected may decide again, but one approval no longer releases it.
    expect((await claim(reviewer, id)).status).toBe(200);
    expect((await decide(reviewer, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).body).toMatchObject({ final: false, approvals: 1 });
    expect((await claim(senior, id)).status).toBe(200);
    expect((await decide(senior, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).body).toMatchObject({ final: true, state: 'SIGNING', approvals: 2 });
  });

  it('a BLOCKED clip is released only through a senior reviewer’s override with a written reason, then four eyes', async () => {
    const id = await insertBlocked(creator, clip.plain);
    const noMedia = await insertBlocked(creator, null);
    const ownBlocked = await insertBlocked(creatorSenior, clip.plain);
    const reason = { reason: 'satire of a public figure, allowed under the newsworthiness exception' };
    const override = (who: string, clipId: string, body: unknown = reason) => stack.call(`/api/v1/review/${clipId}/override`, { token: who, body });

    expect((await claim(reviewer, id)).body.message).toMatch(/is not awaiting review \(it is BLOCKED\)/);
    expect((await override(reviewer.token, id)).status).toBe(403);
    expect((await override(admin, id)).status).toBe(403);
    expect((await override(senior.token, id, {})).body.message).toBe('reason: is required: a written reason');
    expect((await override(senior.token, noMedia)).body.message).toMatch(/stopped before it had any media/);
    expect((await override(creatorSenior.token, ownBlocked)).body.message).toMatch(/you submitted it/);

    const done = await override(senior.token, id);
    // The release render never ran: the clip resumes in analysis, then comes to review flagged.
    expect(done.body).toEqual({ clipId: id, state: 'ANALYZING', round: 1 });
    await stack.waitForState(id, admin, ['AWAITING_REVIEW']);
    expect((await get(id)).review).toMatchObject({ cause: 'blocked_override', priority: 'high', fourEyes: true, approvalsNeeded: 2 });
    expect((await auditOf(id)).find((e) => e.action === 'review.block_overridden').body).toEqual({ round: 1, reasonSha256: sha256(reason.reason) });

    // The senior who overrode never reviews the round: two others do, one of them a senior.
    expect((await claim(senior, id)).body.message).toMatch(/you brought it back to review/);
    expect((await claim(reviewer2, id)).status).toBe(200);
    expect((await decide(reviewer2, id, 'approve', 'APPROVE_OVERRIDE_JUSTIFIED')).body).toMatchObject({ final: false, approvals: 1 });
    expect((await claim(creatorSenior, id)).status).toBe(200);
    expect((await decide(creatorSenior, id, 'approve', 'APPROVE_OVERRIDE_JUSTIFIED')).body).toMatchObject({ final: true, approvals: 2 });
    const released = await stack.waitForState(id, admin, ['RELEASED', 'FAILED']);
    expect({ state: released.state, why: released.failureReason }).toEqual({ state: 'RELEASED', why: null });
    expect(released).toMatchObject({ flagged: true, release: { signed: true } });
    expect(released.transitions.map((t: { to: string }) => t.to)).toEqual(expect.arrayContaining(['ANALYZING', 'AWAITING_REVIEW', 'APPROVED', 'SIGNING', 'RELEASED']));
  });

  it('the submitter of a clip never reviews it', async () => {
    const id = clip.own;
    const mine = await claim(creatorReviewer, id);
    expect({ status: mine.status, message: mine.body.message }).toEqual({ status: 403, message: expect.stringMatching(/you submitted it, so someone else must review it/) });
    expect((await decide(creatorReviewer, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).status).toBe(403);
    // "Claim next" skips it even when it is the only clip this reviewer could otherwise take.
    for (let i = 0; i < 3; i++) {
      const next = await claim(creatorReviewer);
      if (next.status === 404) break;
      expect(next.body.clipId).not.toBe(id);
      expect((await stack.call(`/api/v1/review/${next.body.clipId}/claim`, { token: creatorReviewer.token, method: 'DELETE' })).status).toBe(204);
    }
    expect((await claim(reviewer, id)).status).toBe(200);
    expect((await decide(reviewer, id, 'reject', 'REJECT_QUALITY')).body.state).toBe('REJECTED');
  });

  it('a lease is renewed by heartbeats and, once lapsed, returns the clip to the queue', async () => {
    const id = clip.lease;
    const first = await claim(reviewer, id);
    expect(first.status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    const beat = await stack.call(`/api/v1/review/${id}/heartbeat`, { token: reviewer.token, method: 'POST' });
    expect(Date.parse(beat.body.leaseExpiresAt)).toBeGreaterThan(Date.parse(first.body.leaseExpiresAt));
    await new Promise((r) => setTimeout(r, Date.parse(first.body.leaseExpiresAt) - Date.now() + 300));
    // Past the first lease's end: still held thanks to the heartbeat.
    expect((await claim(reviewer2, id)).body.message).toMatch(/claimed by another reviewer until/);
    expect((await stack.call(`/api/v1/review/${id}/heartbeat`, { token: reviewer2.token, method: 'POST' })).status).toBe(409);
    await new Promise((r) => setTimeout(r, Date.parse(beat.body.leaseExpiresAt) - Date.now() + 300));
    expect((await stack.call(`/api/v1/review/${id}/heartbeat`, { token: reviewer.token, method: 'POST' })).status).toBe(409);
    expect((await claim(reviewer2, id)).status).toBe(200);
    expect((await decide(reviewer, id, 'approve', 'APPROVE_POLICY_COMPLIANT')).body.message).toMatch(/a decision needs a live claim/);
    expect((await decide(reviewer2, id, 'reject', 'REJECT_QUALITY')).body.final).toBe(true);
  });

  it('serves downloads of released clips only, to their creator and the roles that see every clip', async () => {
    const released = clip.plain;
    const { media_sha256: mediaSha256, media } = await stack.db((db) => db.query(`SELECT media_sha256, media FROM clips WHERE id = $1`, [released]).then((r) => r.rows[0]));
    // States a test cannot stop a clip in (SIGNING mid-flight, …) are set directly on a clip of the creator's that has media.
    const probe = await stack.db((db) =>
      db
        .query(`INSERT INTO clips (state, source, created_by, flagged, media_sha256, media) VALUES ('SUBMITTED', 'upload', $1, false, $2, $3) RETURNING id`, [creator.id, mediaSha256, media])
        .then((r) => r.rows[0].id as string),
    );
    const callers: [string, string | undefined][] = [
      ['admin', admin],
      ['reviewer', reviewer.token],
      ['senior_reviewer', senior.token],
      ['compliance', compliance.token],
      ['publisher', publisher.token],
      ['creator (owner)', creator.token],
      ['creator (someone else)', otherCreator.token],
      ['anonymous', undefined],
    ];
    const seen: Record<string, Record<string, number>> = {};
    const expected: Record<string, Record<string, number>> = {};
    for (const state of CLIP_STATES) {
      const id = state === 'RELEASED' ? released : probe;
      if (state !== 'RELEASED') await stack.db((db) => db.query(`UPDATE clips SET state = $2 WHERE id = $1`, [probe, state]));
      seen[state] = {};
      expected[state] = {};
      for (const [who, token] of callers) {
        const res = await fetch(`${stack.baseUrl}/api/v1/clips/${id}/download`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
        const body = Buffer.from(await res.arrayBuffer());
        seen[state][who] = res.status;
        if (res.status === 200) expect(sha256(body)).toBe(mediaSha256);
        expected[state][who] =
          who === 'anonymous' ? 401 : who === 'publisher' ? 403 : who === 'creator (someone else)' ? 404 : state === 'RELEASED' ? 200 : 409;
      }
    }
    expect(seen).toEqual(expected);
    const audited = await stack.db((db) => db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'clip.downloaded' AND subject_id = $1`, [released]).then((r) => r.rows[0].n));
    expect(audited).toBe(1 + 5); // the first test's download, then admin, reviewer, senior, compliance and the owner here
  });

  it('orders the queue by priority, then due time, then age; claim-next takes its head; overdue items are counted in /metrics', async () => {
    const items = await queue();
    expect(items.map((i) => i.clipId)).toEqual(expect.arrayContaining([clip.waitingHigh, clip.waitingNormal]));
    const rank = (p: string) => (p === 'high' ? 0 : 1);
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      expect(rank(a.priority) < rank(b.priority) || (a.priority === b.priority && Date.parse(a.dueAt) <= Date.parse(b.dueAt))).toBe(true);
    }
    // Flagged and waiting: first in line, although it entered review no earlier than the other.
    expect(items[0]).toMatchObject({ clipId: clip.waitingHigh, priority: 'high', flagged: true, overdue: false });
    expect(items.find((i) => i.clipId === clip.waitingNormal)).toMatchObject({ priority: 'normal', overdue: true });

    const head = await claim(reviewer2);
    expect(head.body.clipId).toBe(clip.waitingHigh);
    const metrics = (await stack.call('/metrics', { token: admin })).body as string;
    const overdueNormal = items.filter((i) => i.priority === 'normal' && i.overdue).length;
    expect(metrics).toContain(`provenant_review_overdue_items{priority="normal"} ${overdueNormal}`);
    expect(metrics).toContain('provenant_review_overdue_items{priority="high"} 0');
    expect(metrics).toContain(`provenant_review_queue_items{priority="high"} ${items.filter((i) => i.priority === 'high').length}`);
  });

  it('refuses malformed requests with the field named', async () => {
    expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clipId: 'nope' } })).body.message).toBe('clipId: must be a clip id (UUID)');
    expect((await stack.call('/api/v1/review/claim', { token: reviewer.token, body: { clip: clip.lease } })).body.message).toMatch(/Unrecognized key/);
    const valid = { decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT' };
    expect((await stack.call('/api/v1/review/not-a-uuid/decision', { token: reviewer.token, body: valid })).body.message).toBe('clipId: must be a clip id (UUID)');
    expect((await stack.call(`/api/v1/review/${clip.lease}/decision`, { token: reviewer.token, body: { decision: 'approve' } })).body.message).toBe(
      'reasonCode: is required: a code from the review reason catalog',
    );
    expect((await stack.call(`/api/v1/review/${clip.lease}/decision`, { token: reviewer.token, body: { decision: 'approve', reasonCode: 'X', note: 'n'.repeat(4001) } })).body.message).toBe(
      'note: must be at most 4000 characters',
    );
    expect((await stack.call('/api/v1/review/queue?limit=0', { token: reviewer.token })).body.message).toMatch(/^limit:/);
    expect((await claim(reviewer, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});
