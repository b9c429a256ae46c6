import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { loadConfig } from '../src/config/app-config';
import { AuditLog } from '../src/modules/audit/audit-log';
import type { Principal } from '../src/modules/auth/principal';
import { ReviewClaims } from '../src/modules/review/review-claims';
import { startStack, type Stack } from '../test/support/stack';
import { percentile, type BenchRunner } from './bench-section';
import { ClipRepository } from '../src/modules/lifecycle/clip.repository';
import { ReviewItemRepository } from '../src/modules/review/review-item.repository';

const REVIEWERS = 20;
const GOAL_P99_MS = 50;

const summary = (samples: number[]) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (n: number) => +n.toFixed(2);
  return { n: sorted.length, p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1]) };
};

async function timedFetch(stack: Stack, path: string, token: string, body?: unknown): Promise<{ ms: number; status: number; json: any }> {
  const t = process.hrtime.bigint();
  const res = await fetch(`${stack.baseUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  return { ms: Number(process.hrtime.bigint() - t) / 1e6, status: res.status, json };
}

/**
 * Issue-3 figure: "claim next" latency over HTTP from a queue of 10,000
 * clips (a tenth flagged), in rounds where 20 reviewers claim at the same
 * moment and then each rejects the clip it got (decision latency reported
 * apart). Every claim is a real one: leased, audited, never the same clip
 * twice. Baselines in the same run: a plain `SELECT 1` round trip to the same
 * Postgres, and an authenticated GET /api/v1/auth/me fired by the same 20
 * callers at once (HTTP, JSON and token checking without any queue work).
 */
export const run: BenchRunner = async ({ quick }) => {
  const items = quick ? 1_000 : 10_000;
  const rounds = quick ? 10 : 50;
  const stack = await startStack({ workers: 0, env: { LOG_LEVEL: 'warn' } });
  try {
    const admin = await stack.login();
    const creator = await stack.userWithRoles(['creator'], admin);
    const reviewers = await Promise.all(Array.from({ length: REVIEWERS }, (_, i) => stack.userWithRoles([i % 5 === 0 ? 'senior_reviewer' : 'reviewer'], admin)));

    // The queue as the pipeline would leave it: clips in AWAITING_REVIEW, each with an open review round, `items` of them.
    const fillQueue = () =>
      stack.db(async (db) => {
        const [{ open }] = (await db.query(`SELECT count(*)::int AS open FROM review_items WHERE closed_at IS NULL`)).rows;
        await db.query(
          `WITH fresh AS (
             INSERT INTO clips (state, source, created_by, flagged, media_sha256, created_at)
             SELECT 'AWAITING_REVIEW', 'upload', $1, i % 10 = 0, repeat('a', 64), now() - i * interval '1 second' FROM generate_series(1, $2) AS i
             RETURNING id, created_by, flagged, created_at)
           INSERT INTO review_items (clip_id, submitted_by, round, cause, priority, four_eyes, enqueued_at, due_at)
           SELECT id, created_by, 1, 'pipeline', CASE WHEN flagged THEN 0 ELSE 1 END, flagged, created_at,
                  created_at + CASE WHEN flagged THEN interval '4 hours' ELSE interval '24 hours' END FROM fresh`,
          [creator.id, items - open],
        );
        await db.query('ANALYZE clips; ANALYZE review_items');
      });
    await fillQueue();

    // Baseline 1: SELECT 1 round trips on one connection.
    const pg = new Client({ connectionString: stack.env.DATABASE_URL });
    await pg.connect();
    const select1: number[] = [];
    for (let i = 0; i < (quick ? 200 : 1_000); i++) {
      const t = process.hrtime.bigint();
      await pg.query('SELECT 1');
      select1.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    await pg.end();

    // Baseline 2: an authenticated request with no queue work, 20 callers at the same moment, as many rounds.
    const authMe: number[] = [];
    for (let i = 0; i < rounds; i++) authMe.push(...(await Promise.all(reviewers.map((r) => timedFetch(stack, '/api/v1/auth/me', r.token)))).map((x) => x.ms));

    // Rounds: all 20 reviewers claim the next clip at the same moment, then all decide (reject) at once.
    const claimed = new Set<string>();
    const claimMs: number[] = [];
    const decideMs: number[] = [];
    const playRound = async (measure: boolean) => {
      const claims = await Promise.all(reviewers.map((r) => timedFetch(stack, '/api/v1/review/claim', r.token, {})));
      for (const c of claims) {
        if (c.status !== 200) throw new Error(`claim failed: ${c.status} ${JSON.stringify(c.json)}`);
        if (claimed.has(c.json.clipId)) throw new Error(`clip ${c.json.clipId} was claimed twice`);
        claimed.add(c.json.clipId);
      }
      const decisions = await Promise.all(
        reviewers.map((r, i) => timedFetch(stack, `/api/v1/review/${claims[i].json.clipId}/decision`, r.token, { decision: 'reject', reasonCode: 'REJECT_QUALITY' })),
      );
      for (const d of decisions) if (d.status !== 200) throw new Error(`decision failed: ${d.status} ${JSON.stringify(d.json)}`);
      if (measure) {
        claimMs.push(...claims.map((c) => c.ms));
        decideMs.push(...decisions.map((d) => d.ms));
      }
    };
    for (let i = 0; i < 3; i++) await playRound(false); // warm-up
    const t0 = Date.now();
    for (let i = 0; i < rounds; i++) await playRound(true);
    const wallMs = Date.now() - t0;

    // The same rounds without HTTP: the claim service itself, 20 pooled connections to the same Postgres.
    // Between rounds the claimed items are closed directly (untimed), as decisions would.
    await fillQueue();
    const ds = await new DataSource({ type: 'postgres', url: stack.env.DATABASE_URL, extra: { max: REVIEWERS } }).initialize();
    const audit = new AuditLog();
    const service = new ReviewClaims(ds, audit, new ClipRepository(), new ReviewItemRepository(), loadConfig({}));
    const principals: Principal[] = reviewers.map((r, i) => ({ userId: r.id, roles: [i % 5 === 0 ? 'senior_reviewer' : 'reviewer'], apiKeyId: null, expiresAt: null }));
    const serviceMs: number[] = [];
    // Baseline 3: 20 transactions at once that only append one audit event, as every claim must.
    const auditOnlyMs: number[] = [];
    try {
      for (let i = 0; i < rounds + 3; i++) {
        const got = await Promise.all(
          principals.map(async (p) => {
            const t = process.hrtime.bigint();
            await ds.transaction((m) => audit.append(m, { actor: `user:${p.userId}`, action: 'review.claim_returned', subjectType: 'clip', subjectId: p.userId, body: { round: i } }));
            return Number(process.hrtime.bigint() - t) / 1e6;
          }),
        );
        if (i >= 3) auditOnlyMs.push(...got);
      }
      for (let i = 0; i < rounds + 3; i++) {
        const got = await Promise.all(
          principals.map(async (p) => {
            const t = process.hrtime.bigint();
            const c = await service.claim(p, undefined);
            return { clipId: c.clipId, ms: Number(process.hrtime.bigint() - t) / 1e6 };
          }),
        );
        if (new Set(got.map((g) => g.clipId)).size !== got.length) throw new Error('two reviewers got the same clip');
        if (i >= 3) serviceMs.push(...got.map((g) => g.ms));
        await ds.query(`UPDATE review_items SET closed_at = now(), claimed_by = NULL, lease_expires_at = NULL WHERE clip_id = ANY($1)`, [got.map((g) => g.clipId)]);
      }
    } finally {
      await ds.destroy();
    }

    const claims = summary(claimMs);
    const inProcess = summary(serviceMs);
    const auditOnly = summary(auditOnlyMs);
    const baselineHttp = summary(authMe);
    const baselineSql = summary(select1);
    const json = {
      queueItems: items,
      rounds,
      reviewers: REVIEWERS,
      claimNextMs: claims,
      claimNextInProcessMs: inProcess,
      decisionMs: summary(decideMs),
      claimsPerSecond: +((claimMs.length / wallMs) * 1000).toFixed(1),
      baselines: { select1Ms: baselineSql, authMeMs: baselineHttp, auditAppendOnlyInProcessMs: auditOnly },
      inProcessP99RatioToAuditAppendOnly: +(inProcess.p99 / auditOnly.p99).toFixed(2),
      p99RatioToAuthMe: +(claims.p99 / baselineHttp.p99).toFixed(2),
      p99RatioToSelect1: +(claims.p99 / baselineSql.p99).toFixed(2),
      goalP99Ms: GOAL_P99_MS,
      meetsGoalOverHttp: claims.p99 < GOAL_P99_MS,
      meetsGoalInProcess: inProcess.p99 < GOAL_P99_MS,
      distinctClipsClaimed: claimed.size,
    };
    const row = (name: string, s: { n: number; p50: number; p99: number; max: number }) => `| ${name} | ${s.n} | ${s.p50} | ${s.p99} | ${s.max} |`;
    const markdown = [
      `${rounds} rounds of ${REVIEWERS} reviewers claiming the next clip at the same moment from ${items.toLocaleString('en')} queued clips, then each rejecting the clip it got (HTTP; api process, Postgres and this load generator share the machine).`,
      '',
      '| measure | samples | p50 ms | p99 ms | max ms |',
      '| --- | --- | --- | --- | --- |',
      row('POST /review/claim (claim next), over HTTP', claims),
      row('ReviewClaims.claim (claim next), in process', inProcess),
      row('POST /review/{id}/decision (reject)', json.decisionMs),
      row(`baseline: GET /auth/me, ${REVIEWERS} at once`, baselineHttp),
      row(`baseline: one audit append per transaction, ${REVIEWERS} at once, in process`, auditOnly),
      row('baseline: SELECT 1 round trip', baselineSql),
      '',
      `Claim-next p99 over HTTP is ${json.p99RatioToAuthMe}× the authenticated-request baseline and ${json.p99RatioToSelect1}× a SELECT 1. Goal p99 < ${GOAL_P99_MS} ms: ${json.meetsGoalOverHttp ? 'met' : 'not met'} over HTTP, ${json.meetsGoalInProcess ? 'met' : 'not met'} in process, where a claim costs ${json.inProcessP99RatioToAuditAppendOnly}× (p99) a transaction that only appends its audit event. ${json.claimsPerSecond} claims/s over HTTP including the decisions; ${claimed.size} distinct clips claimed over HTTP, none twice.`,
    ].join('\n');
    return { title: 'Review claims', json, markdown };
  } finally {
    await stack.stop();
  }
};
