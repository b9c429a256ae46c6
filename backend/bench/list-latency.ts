import type { Stack } from '../test/support/stack';
import { percentile } from './bench-section';

export interface Latency {
  p50: number;
  p99: number;
}

export interface ListLatency {
  clipsStored: number;
  requests: number;
  firstPageMs: Latency;
  stateFilterMs: Latency;
  healthBaselineMs: Latency;
}

/** Stores `extraClips` more clip rows, then times sequential list requests against GET /health/live. */
export async function measureListLatency(stack: Stack, token: string, { extraClips, requests }: { extraClips: number; requests: number }): Promise<ListLatency> {
  const clipsStored = await stack.db(async (db) => {
    await db.query(
      `INSERT INTO clips (state, source, prompt, created_by, flagged, created_at)
       SELECT (ARRAY['AWAITING_REVIEW','FAILED','GENERATING'])[1 + i % 3], 'prompt', 'bench prompt ' || i, created_by, false, now() - (i || ' seconds')::interval
         FROM generate_series(1, $1) AS i, (SELECT created_by FROM clips LIMIT 1) AS u`,
      [extraClips],
    );
    return Number((await db.query('SELECT count(*) AS n FROM clips')).rows[0].n);
  });
  const time = async (path: string): Promise<Latency> => {
    const samples: number[] = [];
    for (let i = 0; i < requests; i++) {
      const start = process.hrtime.bigint();
      const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    samples.sort((a, b) => a - b);
    return { p50: +percentile(samples, 50).toFixed(2), p99: +percentile(samples, 99).toFixed(2) };
  };
  return {
    clipsStored,
    requests,
    firstPageMs: await time('/api/v1/clips?limit=50'),
    stateFilterMs: await time('/api/v1/clips?limit=50&state=AWAITING_REVIEW'),
    healthBaselineMs: await time('/health/live'),
  };
}
