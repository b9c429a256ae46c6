import type { CheckVerdict, ClipState, LikenessConsent, LikenessStageName, StageName, StageStatus } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';

export interface StageResultRecord {
  stage: StageName;
  status: StageStatus;
  verdict: CheckVerdict | null;
  attempts: number;
  result: Record<string, unknown>;
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
  /** The audit event that recorded a success. */
  auditEventId: number | null;
}

export interface SucceededStage {
  verdict: CheckVerdict;
  attempts: number;
  result: Record<string, unknown>;
  startedAt: Date;
  auditEventId: number;
}

const COLUMNS = `stage, status, verdict, attempts, result, error, started_at AS "startedAt", finished_at AS "finishedAt", audit_event_id AS "auditEventId"`;

const SQL = {
  // A failed attempt recorded earlier is replaced; a success never is.
  recordSucceeded: `
    INSERT INTO stage_results (clip_id, stage, status, verdict, attempts, result, error, started_at, finished_at, audit_event_id)
    VALUES ($1, $2, 'succeeded', $3, $4, $5, NULL, $6, now(), $7)
    ON CONFLICT (clip_id, stage) DO UPDATE SET status = 'succeeded', verdict = EXCLUDED.verdict, attempts = EXCLUDED.attempts,
      result = EXCLUDED.result, error = NULL, started_at = EXCLUDED.started_at, finished_at = now(), audit_event_id = EXCLUDED.audit_event_id
    WHERE stage_results.status <> 'succeeded'`,
  recordFailed: `
    INSERT INTO stage_results (clip_id, stage, status, verdict, attempts, result, error, started_at, finished_at)
    VALUES ($1, $2, 'failed', NULL, $3, '{}', $4, $5, now())
    ON CONFLICT (clip_id, stage) DO UPDATE SET status = 'failed', attempts = EXCLUDED.attempts, error = EXCLUDED.error, finished_at = now()
    WHERE stage_results.status <> 'succeeded'`,
  succeededStages: `SELECT stage FROM stage_results WHERE clip_id = $1 AND status = 'succeeded'`,
  listForClip: `SELECT ${COLUMNS} FROM stage_results WHERE clip_id = $1 ORDER BY started_at`,
  succeeded: `SELECT ${COLUMNS} FROM stage_results WHERE clip_id = $1 AND stage = $2 AND status = 'succeeded'`,
  countsByStageStatus: `SELECT stage, status, count(*)::int AS n FROM stage_results GROUP BY 1, 2`,
  // Moderation evidence thumbnails are served only when a result of the clip names them.
  namesWorstFrame: `
    SELECT 1 FROM stage_results
     WHERE clip_id = $1 AND stage = ANY($2::text[]) AND status = 'succeeded'
       AND jsonb_path_exists(result, '$.reports[*].report.evidence[*].worstFrames[*] ? (@.thumbnailSha256 == $sha)', jsonb_build_object('sha', $3::text))`,
  // A subject's cameo feed: likeness results that name it, newest first.
  likenessAppearances: `
    SELECT "clipId", state, stage, "finishedAt", matches FROM (
      SELECT r.clip_id AS "clipId", c.state, r.stage, r.finished_at AS "finishedAt",
             COALESCE(r.result->'names', '[]') || COALESCE(r.result->'referenceFaces', '[]') || COALESCE(r.result->'faces', '[]') AS matches
        FROM stage_results r JOIN clips c ON c.id = r.clip_id
       WHERE r.stage IN ('prompt_likeness', 'clip_likeness') AND r.status = 'succeeded') found
     WHERE matches @> jsonb_build_array(jsonb_build_object('subjectId', $1::text))
     ORDER BY "finishedAt" DESC, "clipId"
     LIMIT 500`,
} as const;

/** A likeness result that names a subject, with the state of its clip. */
export interface LikenessAppearanceRecord {
  clipId: string;
  state: ClipState;
  stage: LikenessStageName;
  finishedAt: Date;
  /** The names and reference-image faces (prompt) or faces (clip) found, each naming its subject; names carry `via`. */
  matches: Array<{ subjectId: string | null; outcome: CheckVerdict; consent: LikenessConsent; via?: string }>;
}

type StoredRow = Omit<StageResultRecord, 'auditEventId'> & { auditEventId: string | null };
const toRecord = (r: StoredRow): StageResultRecord => ({ ...r, auditEventId: r.auditEventId === null ? null : Number(r.auditEventId) });

/** Results of pipeline stages (stage_results): one row per clip and stage; a success is final. */
export class StageResultRepository {
  static readonly sql = SQL;

  /** Records a success (replacing an earlier attempt's failure); a success already recorded stays as it is. */
  async recordSucceeded(db: Queryable, clipId: string, stage: StageName, s: SucceededStage): Promise<void> {
    await db.query(SQL.recordSucceeded, [clipId, stage, s.verdict, s.attempts, s.result, s.startedAt, s.auditEventId]);
  }

  async recordFailed(db: Queryable, clipId: string, stage: StageName, f: { attempts: number; error: string; startedAt: Date }): Promise<void> {
    await db.query(SQL.recordFailed, [clipId, stage, f.attempts, f.error, f.startedAt]);
  }

  async succeededStages(db: Queryable, clipId: string): Promise<Set<StageName>> {
    const rows: { stage: StageName }[] = await db.query(SQL.succeededStages, [clipId]);
    return new Set(rows.map((r) => r.stage));
  }

  async listForClip(db: Queryable, clipId: string): Promise<StageResultRecord[]> {
    return ((await db.query(SQL.listForClip, [clipId])) as StoredRow[]).map(toRecord);
  }

  async succeeded(db: Queryable, clipId: string, stage: StageName): Promise<StageResultRecord | null> {
    const [row]: StoredRow[] = await db.query(SQL.succeeded, [clipId, stage]);
    return row ? toRecord(row) : null;
  }

  countsByStageStatus(db: Queryable): Promise<{ stage: StageName; status: StageStatus; n: number }[]> {
    return db.query(SQL.countsByStageStatus);
  }

  likenessAppearances(db: Queryable, subjectId: string): Promise<LikenessAppearanceRecord[]> {
    return db.query(SQL.likenessAppearances, [subjectId]);
  }

  async namesWorstFrame(db: Queryable, clipId: string, stages: readonly StageName[], sha256: string): Promise<boolean> {
    return (await db.query(SQL.namesWorstFrame, [clipId, stages, sha256])).length > 0;
  }
}
