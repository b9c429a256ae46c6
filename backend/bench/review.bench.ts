import { Client } from 'pg';
import { startStack, type Stack } from '../test/support/stack';
import { percentile, type BenchRunner } from './bench-section';

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
 * Issue-3 figure: "claim next" latency over HTTP with 20 reviewers claiming
 * at once from a queue of 10,000 clips (a tenth flagged), each deciding
 * (rejecting, untimed for the claim figure) before claiming again, as
 * reviewers do. Baselines in the same run: a plain `SELECT 1` round trip to
 * the same Postgres, and an authenticated GET /api/v1/auth/me at the same
 * concurrency (HTTP, JSON and token checking without any queue work).
 */
export const run: BenchRunner = async ({ quick }) => {
  const items = quick ? 1_000 : 10_000;
  const claimsPerReviewer = quick ? 10 : 50;
  const stack = await startStack({ workers: 0, env: { LOG_LEVEL: 'warn' } });
  try {
    const admin = await stack.login();
    const creator = await stack.userWithRoles(['creator'], admin);
    const reviewers = await Promise.all(Array.from({ length: REVIEWERS }, (_, i) => stack.userWithRoles([i % 5 === 0 ? 'senior_reviewer' : 'reviewer'], admin)));

    // The queue as the pipeline would leave it: clips in AWAITING_REVIEW, each with an open review round.
    await stack.db(async (db) => {
      await db.query(
        `INSERT INTO clips (state, source, created_by, flagged, media_sha256, created_at)
         SELECT 'AWAITING_REVIEW', 'upload', $1, i % 10 = 0, repeat('a', 64), now() - i * interval '1 second' FROM generate_series(1, $2) AS i`,
        [creator.id, items],
      );
      await db.query(
        `INSERT INTO review_items (clip_id, round, cause, priority, four_eyes, enqueued_at, due_at)
         SELECT id, 1, 'pipeline', CASE WHEN flagged THEN 0 ELSE 1 END, flagged, created_at,
                created_at + CASE WHEN flagged THEN interval '4 hours' ELSE interval '24 hours' END
           FROM clips WHERE state = 'AWAITING_REVIEW'`,
      );
      await db.query('ANALYZE clips; ANALYZE review_items');
    });

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

    // Baseline 2: an authenticated request with no queue work, 20 callers at once.
    const authMe: number[] = [];
    await Promise.all(
      reviewers.map(async (r) => {
        for (let i = 0; i < claimsPerReviewer; i++) authMe.push((await timedFetch(stack, '/api/v1/auth/me', r.token)).ms);
      }),
    );

    // Warm-up: one claim and decision per reviewer, not measured.
    const claimed = new Set<string>();
    const claimMs: number[] = [];
    const decideMs: number[] = [];
    const round = async (token: string, measure: boolean) => {
      const c = await timedFetch(stack, '/api/v1/review/claim', token, {});
      if (c.status !== 200) throw new Error(`claim failed: ${c.status} ${JSON.stringify(c.json)}`);
      if (claimed.has(c.json.clipId)) throw new Error(`clip ${c.json.clipId} was claimed twice`);
      claimed.add(c.json.clipId);
      const d = await timedFetch(stack, `/api/v1/review/${c.json.clipId}/decision`, token, { decision: 'reject', reasonCode: 'REJECT_QUALITY' });
      if (d.status !== 200) throw new Error(`decision failed: ${d.status} ${JSON.stringify(d.json)}`);
      if (measure) {
        claimMs.push(c.ms);
        decideMs.push(d.ms);
      }
    };
    await Promise.all(reviewers.map((r) => round(r.token, false)));
    const t0 = Date.now();
    await Promise.all(
      reviewers.map(async (r) => {
        for (let i = 0; i < claimsPerReviewer; i++) await round(r.token, true);
      }),
    );
    const wallMs = Date.now() - t0;

    const claims = summary(claimMs);
    const baselineHttp = summary(authMe);
    const baselineSql = summary(select1);
    const json = {
      queueItems: items,
      reviewers: REVIEWERS,
      claimNextMs: claims,
      decisionMs: summary(decideMs),
      claimsPerSecond: +((claimMs.length / wallMs) * 1000).toFixed(1),
      baselines: { select1Ms: baselineSql, authMeMs: baselineHttp },
      p99RatioToAuthMe: +(claims.p99 / baselineHttp.p99).toFixed(2),
      p99RatioToSelect1: +(claims.p99 / baselineSql.p99).toFixed(2),
      goalP99Ms: GOAL_P99_MS,
      meetsGoal: claims.p99 < GOAL_P99_MS,
      distinctClipsClaimed: claimed.size,
    };
    const row = (name: string, s: { n: number; p50: number; p99: number; max: number }) => `| ${name} | ${s.n} | ${s.p50} | ${s.p99} | ${s.max} |`;
    const markdown = [
      `${REVIEWERS} reviewers claiming at once from ${items.toLocaleString('en')} queued clips, each rejecting its clip before claiming the next (HTTP, api process and Postgres on this machine).`,
      '',
      '| measure | samples | p50 ms | p99 ms | max ms |',
      '| --- | --- | --- | --- | --- |',
      row('POST /review/claim (claim next)', claims),
      row('POST /review/{id}/decision (reject)', json.decisionMs),
      row(`baseline: GET /auth/me, ${REVIEWERS} at once`, baselineHttp),
      row('baseline: SELECT 1 round trip', baselineSql),
      '',
      `Claim-next p99 is ${json.p99RatioToAuthMe}× the authenticated-request baseline and ${json.p99RatioToSelect1}× a SELECT 1; goal p99 < ${GOAL_P99_MS} ms: ${json.meetsGoal ? 'met' : 'not met'}. ${json.claimsPerSecond} claim+decision rounds/s; ${claimed.size} distinct clips claimed, none twice.`,
    ].join('\n');
    return { title: 'Review claims', json, markdown };
  } finally {
    await stack.stop();
  }
};
