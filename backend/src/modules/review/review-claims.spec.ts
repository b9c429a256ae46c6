import { ConflictException, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '@provenant/shared';
import { loadConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import type { Principal } from '../auth/principal';
import { ReviewClaims } from './review-claims';
import { ReviewQueue } from './review-queue';
import { ClipTransitions } from '../lifecycle/clip-transitions';
import { ClipRepository } from '../lifecycle/clip.repository';
import { ReviewItemRepository } from './review-item.repository';
import { ReviewReopeningRepository } from './review-reopening.repository';

/**
 * Claims against the real Postgres of the test run, from two connection pools
 * standing in for two api processes.
 */
describe('ReviewClaims on real Postgres', () => {
  const config = loadConfig({ REVIEW_LEASE_SECONDS: '1' });
  const audit = new AuditLog();
  let pools: DataSource[];
  let claims: ReviewClaims[];
  let creatorId: string;

  const reviewQueue = (ds: DataSource) =>
    new ReviewQueue(ds, audit, new ClipTransitions(new ClipRepository(), audit), new ClipRepository(), new ReviewItemRepository(), new ReviewReopeningRepository(), config);
  const newUser = async (roles: Role[]): Promise<Principal> => {
    const [{ id }] = await pools[0].query(`INSERT INTO users (email, password_hash, roles) VALUES ($1, 'x', $2) RETURNING id`, [`${randomUUID()}@claims.test`, roles]);
    return { userId: id, roles, apiKeyId: null, expiresAt: null };
  };
  // Clips as the pipeline leaves them: AWAITING_REVIEW with an open review round.
  const clipsInReview = async (n: number): Promise<string[]> => {
    const ids: string[] = [];
    const queue = reviewQueue(pools[0]);
    for (let i = 0; i < n; i++) {
      await pools[0].transaction(async (m) => {
        const [{ id }] = await m.query(`INSERT INTO clips (state, source, created_by, flagged, media_sha256) VALUES ('AWAITING_REVIEW', 'upload', $1, false, $2) RETURNING id`, [
          creatorId,
          'a'.repeat(64),
        ]);
        await queue.open(m, id, 'system');
        ids.push(id);
      });
    }
    return ids;
  };
  const openHolders = (ids: string[]) =>
    pools[0].query(`SELECT clip_id, claimed_by FROM review_items WHERE clip_id = ANY($1) AND claimed_by IS NOT NULL AND lease_expires_at > now()`, [ids]);
  const settle = <T>(work: Promise<T>[]) => Promise.allSettled(work);

  beforeAll(async () => {
    pools = await Promise.all([0, 1].map(() => new DataSource({ type: 'postgres', url: process.env.DATABASE_URL, extra: { max: 20 } }).initialize()));
    claims = pools.map((ds) => new ReviewClaims(ds, audit, new ClipRepository(), new ReviewItemRepository(), config));
    creatorId = (await newUser(['creator'])).userId;
  });
  afterAll(async () => {
    // Leave no open items behind for other suites sharing this database.
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE closed_at IS NULL`);
    await Promise.all(pools.map((p) => p.destroy()));
  });

  it('40 reviewers claiming the next item at once from 25 items: 25 get one each, nobody shares, 15 are told the queue is empty', async () => {
    const ids = await clipsInReview(25);
    const reviewers = await Promise.all(Array.from({ length: 40 }, (_, i) => newUser([i % 4 === 0 ? 'senior_reviewer' : 'reviewer'])));
    const results = await settle(reviewers.map((r, i) => claims[i % 2].claim(r, undefined)));
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.clipId] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(won).toHaveLength(25);
    expect(new Set(won).size).toBe(25);
    expect(new Set(won)).toEqual(new Set(ids));
    expect(lost).toHaveLength(15);
    for (const err of lost) expect(err).toBeInstanceOf(NotFoundException);
    const holders = await openHolders(ids);
    expect(holders).toHaveLength(25);
    expect(new Set(holders.map((h: { claimed_by: string }) => h.claimed_by)).size).toBe(25);
    const [{ n }] = await pools[0].query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'review.claimed' AND subject_id = ANY($1)`, [ids]);
    expect(n).toBe(25);
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE clip_id = ANY($1)`, [ids]);
  });

  it('20 reviewers claiming the same clip at once: exactly one holds it, the others are refused', async () => {
    const [id] = await clipsInReview(1);
    const reviewers = await Promise.all(Array.from({ length: 20 }, () => newUser(['reviewer'])));
    const results = await settle(reviewers.map((r, i) => claims[i % 2].claim(r, id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')) {
      expect(r.reason).toBeInstanceOf(ConflictException);
      expect(r.reason.message).toMatch(/claimed by another reviewer until/);
    }
    expect(await openHolders([id])).toHaveLength(1);
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE clip_id = $1`, [id]);
  });

  it('one reviewer firing ten "claim next" requests at once takes one clip, not ten', async () => {
    const ids = await clipsInReview(5);
    const reviewer = await newUser(['reviewer']);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => claims[i % 2].claim(reviewer, undefined)));
    expect(new Set(results.map((r) => r.clipId)).size).toBe(1);
    expect(await openHolders(ids)).toHaveLength(1);
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE clip_id = ANY($1)`, [ids]);
  });

  it('an expired lease returns the clip to the queue; the old holder can neither heartbeat nor keep it', async () => {
    const [id] = await clipsInReview(1);
    const first = await newUser(['reviewer']);
    const second = await newUser(['reviewer']);
    const claimed = await claims[0].claim(first, undefined);
    expect(claimed.clipId).toBe(id);
    await expect(claims[1].claim(second, id)).rejects.toThrow(/claimed by another reviewer/);
    const beat = await claims[0].heartbeat(first, id);
    expect(Date.parse(beat.leaseExpiresAt)).toBeGreaterThanOrEqual(Date.parse(claimed.leaseExpiresAt));
    await new Promise((r) => setTimeout(r, 1_200));
    await expect(claims[0].heartbeat(first, id)).rejects.toThrow(/you hold no live claim/);
    expect((await claims[1].claim(second, undefined)).clipId).toBe(id);
    expect(await openHolders([id])).toEqual([{ clip_id: id, claimed_by: second.userId }]);
    await expect(claims[0].heartbeat(first, randomUUID())).rejects.toThrow(NotFoundException);
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE clip_id = $1`, [id]);
  });

  it('stops claims by id at REVIEW_MAX_OPEN_CLAIMS, even fired at once from two processes', async () => {
    const ids = await clipsInReview(5);
    const hoarder = await newUser(['reviewer']);
    // Leases long enough that none lapses while the test counts them on a loaded machine.
    const patient = pools.map((ds) => new ReviewClaims(ds, audit, new ClipRepository(), new ReviewItemRepository(), loadConfig({ REVIEW_LEASE_SECONDS: '120' })));
    const results = await settle(ids.map((id, i) => patient[i % 2].claim(hoarder, id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(config.REVIEW_MAX_OPEN_CLAIMS);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    for (const r of refused) expect(r.reason.message).toMatch(/you already hold 3 open claims \(REVIEW_MAX_OPEN_CLAIMS\)/);
    expect(await openHolders(ids)).toHaveLength(3);
    // Claiming again what one already holds is not a new claim.
    const held = (await openHolders(ids))[0].clip_id;
    await expect(patient[0].claim(hoarder, held)).resolves.toMatchObject({ clipId: held });
    // The rest of the queue is still there for everyone else.
    const other = await newUser(['reviewer']);
    expect(ids).toContain((await patient[1].claim(other, undefined)).clipId);
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE clip_id = ANY($1)`, [ids]);
  });

  it('refuses a claim by id on an item whose remaining approval must be a senior’s, as claim-next skips it', async () => {
    const [id] = await clipsInReview(1);
    await pools[0].query(`UPDATE review_items SET senior_approval_needed = true WHERE clip_id = $1`, [id]);
    const reviewer = await newUser(['reviewer']);
    await expect(claims[0].claim(reviewer, undefined)).rejects.toThrow(NotFoundException);
    await expect(claims[0].claim(reviewer, id)).rejects.toThrow(/must be a senior reviewer's/);
    const senior = await newUser(['reviewer', 'senior_reviewer']);
    await expect(claims[1].claim(senior, id)).resolves.toMatchObject({ clipId: id });
    await pools[0].query(`UPDATE review_items SET closed_at = now() WHERE clip_id = $1`, [id]);
  });

  it('never hands a reviewer their own clip', async () => {
    const both = await newUser(['creator', 'reviewer']);
    const [{ id }] = await pools[0].query(`INSERT INTO clips (state, source, created_by, flagged) VALUES ('AWAITING_REVIEW', 'upload', $1, false) RETURNING id`, [both.userId]);
    await pools[0].transaction((m) => reviewQueue(pools[0]).open(m, id, 'system'));
    await expect(claims[0].claim(both, undefined)).rejects.toThrow(NotFoundException);
    await expect(claims[0].claim(both, id)).rejects.toThrow(/you submitted it/);
  });
});
