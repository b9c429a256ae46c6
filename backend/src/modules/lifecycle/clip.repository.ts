import type { ClipDto, ClipEventDto, ClipSource, ClipState, MediaInfoDto } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import { updatedRows } from '../../database/updated-rows';

export const CLIP_EVENTS_CHANNEL = 'clip_events';
// One pipeline sweep at a time across all worker processes; the others skip their turn.
const SWEEP_LOCK_KEY = 7_305_161_003;

/** What a clip is made of: where it came from and references to its stored content. */
export interface ClipContent {
  source: ClipSource;
  prompt: string | null;
  generator: string | null;
  referenceImageSha256: string | null;
  referenceImageType: string | null;
  mediaSha256: string | null;
  media: MediaInfoDto | null;
}

/** A clip as the pipeline stages see it, with its state; read under a row lock. */
export interface ClipForStage extends ClipContent {
  id: string;
  state: ClipState;
  /** The submitter: the creator whose use of a likeness the likeness check judges. */
  createdBy: string;
  /** SHA-256 of the file the reviewers approved; set from approval on, for the signing stage. */
  approvedMediaSha256: string | null;
  /** A senior reviewer granted the appeal of its prompt's block (the clip moderation reads that block's categories). */
  promptBlockGranted: boolean;
}

/** The columns a decision about a clip (review, override, reopen) checks, read under a row lock. */
export interface ClipForDecision {
  state: ClipState;
  createdBy: string;
  flagged: boolean;
  mediaSha256: string | null;
}

/** A clip row as the read side and the services see it. */
export type ClipRecord = Pick<ClipDto, 'id' | 'state' | 'source' | 'prompt' | 'generator' | 'createdBy' | 'flagged' | 'failureReason' | 'media'> & {
  createdAt: Date;
  updatedAt: Date;
};

export type ClipSummaryRecord = Omit<ClipRecord, 'generator' | 'failureReason' | 'media'> & {
  /** created_at to the microsecond, as stored: a page cursor must not round it. */
  createdAtExact: string;
};

export interface NewClipRecord extends ClipContent {
  createdBy: string;
  /** The API key it came through, so that key's webhooks hear about it. */
  apiKeyId: string | null;
}

export interface TransitionRecord {
  from: ClipState;
  to: ClipState;
  reason: string | null;
  at: Date;
}

export interface ClipPageQuery {
  limit: number;
  state: ClipState | null;
  /** Only this creator's clips; null for every clip. */
  createdBy: string | null;
  /** Keyset: clips created strictly before this (createdAt, id). */
  before: { createdAt: string; id: string } | null;
}

/** A clip event on the SSE channel; `createdBy` decides who may hear it and is dropped before sending. */
export type OwnedClipEvent = ClipEventDto & { createdBy: string };

const RECORD_COLUMNS = `id, state, source, prompt, generator, created_by AS "createdBy", flagged, failure_reason AS "failureReason",
       media, created_at AS "createdAt", updated_at AS "updatedAt"`;

const SQL = {
  insert: `
    INSERT INTO clips (state, source, prompt, generator, reference_image_sha256, reference_image_type, media_sha256, media, created_by, api_key_id, flagged)
    VALUES ('SUBMITTED', $1, $2, $3, $4, $5, $6, $7, $8, $9, false)
    RETURNING id`,
  findById: `SELECT ${RECORD_COLUMNS} FROM clips WHERE id = $1`,
  lockForStage: `
    SELECT id, state, source, created_by AS "createdBy", prompt, generator, reference_image_sha256 AS "referenceImageSha256",
           reference_image_type AS "referenceImageType", media_sha256 AS "mediaSha256", media,
           (SELECT approved_media_sha256 FROM review_items r WHERE r.clip_id = clips.id) AS "approvedMediaSha256",
           EXISTS (SELECT 1 FROM prompt_appeals a WHERE a.clip_id = clips.id AND a.decision = 'grant') AS "promptBlockGranted"
      FROM clips WHERE id = $1
       FOR UPDATE`,
  lockForDecision: `SELECT state, created_by AS "createdBy", flagged, media_sha256 AS "mediaSha256" FROM clips WHERE id = $1 FOR UPDATE`,
  compareAndSetState: `
    UPDATE clips SET state = $3, updated_at = now(), failure_reason = $4
     WHERE id = $1 AND state = $2
    RETURNING created_by AS "createdBy"`,
  recordTransition: `INSERT INTO clip_transitions (clip_id, audit_event_id, from_state, to_state, reason, at) VALUES ($1, $2, $3, $4, $5, $6)`,
  transitionsOf: `SELECT from_state AS "from", to_state AS "to", reason, at FROM clip_transitions WHERE clip_id = $1 ORDER BY audit_event_id`,
  recordStageOutput: `
    UPDATE clips SET media_sha256 = COALESCE($2, media_sha256), media = COALESCE($3, media),
           generator = COALESCE($4, generator), flagged = flagged OR $5, updated_at = now()
     WHERE id = $1
    RETURNING id`,
  usesMedia: `SELECT EXISTS (SELECT FROM clips WHERE media_sha256 = $1) AS used`,
  markFlagged: `UPDATE clips SET flagged = true, updated_at = now() WHERE id = $1 RETURNING id`,
  page: `
    SELECT id, state, source, prompt, created_by AS "createdBy", flagged, created_at AS "createdAt", updated_at AS "updatedAt",
           to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtExact"
      FROM clips
     WHERE ($2::text IS NULL OR state = $2)
       AND ($3::uuid IS NULL OR created_by = $3)
       AND ($4::timestamptz IS NULL OR (created_at, id) < ($4::timestamptz, $5::uuid))
     ORDER BY created_at DESC, id DESC
     LIMIT $1`,
  erasePromptsOf: `UPDATE clips SET prompt = NULL, updated_at = now() WHERE created_by = $1 AND prompt IS NOT NULL RETURNING id`,
  countByState: `SELECT state, count(*)::int AS n FROM clips GROUP BY state`,
  takeSweepTurn: `SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK_KEY}) AS locked`,
  // Oldest first: a clip whose job was lost never moves again, so it reaches the front of this list
  // however long the backlog of clips legitimately waiting for a worker. SKIP LOCKED passes over a
  // clip a stage worker is recording a result for at this moment (it is not stuck).
  lockUntouched: `
    SELECT id FROM clips
     WHERE state = ANY($1::text[])
       AND updated_at < now() - $2::int * interval '1 millisecond'
     ORDER BY updated_at
     LIMIT $3
       FOR UPDATE SKIP LOCKED`,
  publishEvent: `SELECT pg_notify($1, $2)`,
  listen: `LISTEN ${CLIP_EVENTS_CHANNEL}`,
} as const;

/**
 * The clips table and its history (clip_transitions), plus the clip event
 * channel. Only ClipTransitions calls compareAndSetState: it is the one
 * place a clip's state changes.
 */
export class ClipRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, c: NewClipRecord): Promise<string> {
    const [row]: { id: string }[] = await db.query(SQL.insert, [
      c.source,
      c.prompt,
      c.generator,
      c.referenceImageSha256,
      c.referenceImageType,
      c.mediaSha256,
      c.media ? JSON.stringify(c.media) : null,
      c.createdBy,
      c.apiKeyId,
    ]);
    return row.id;
  }

  async findById(db: Queryable, id: string): Promise<ClipRecord | null> {
    const [row]: ClipRecord[] = await db.query(SQL.findById, [id]);
    return row ?? null;
  }

  async lockForStage(db: Queryable, id: string): Promise<ClipForStage | null> {
    const [row]: ClipForStage[] = await db.query(SQL.lockForStage, [id]);
    return row ?? null;
  }

  async lockForDecision(db: Queryable, id: string): Promise<ClipForDecision | null> {
    const [row]: ClipForDecision[] = await db.query(SQL.lockForDecision, [id]);
    return row ?? null;
  }

  /** Moves the clip from `from` to `to` if it is still in `from`; returns its creator, or null when it was not. */
  async compareAndSetState(db: Queryable, id: string, from: ClipState, to: ClipState, failureReason: string | null): Promise<{ createdBy: string } | null> {
    const [row] = await updatedRows<{ createdBy: string }>(db, SQL.compareAndSetState, [id, from, to, failureReason]);
    return row ?? null;
  }

  async recordTransition(db: Queryable, clipId: string, auditEventId: number, t: TransitionRecord): Promise<void> {
    await db.query(SQL.recordTransition, [clipId, auditEventId, t.from, t.to, t.reason, t.at]);
  }

  transitionsOf(db: Queryable, clipId: string): Promise<TransitionRecord[]> {
    return db.query(SQL.transitionsOf, [clipId]);
  }

  /** What a stage produced: new media, the generator's name, a flag for human review. */
  /** Whether any clip's current media is this object. */
  async usesMedia(db: Queryable, sha256: string): Promise<boolean> {
    const [{ used }]: { used: boolean }[] = await db.query(SQL.usesMedia, [sha256]);
    return used;
  }

  async recordStageOutput(db: Queryable, id: string, out: { mediaSha256: string | null; media: MediaInfoDto | null; generator: string | null; flag: boolean }): Promise<void> {
    await updatedRows(db, SQL.recordStageOutput, [id, out.mediaSha256, out.media ? JSON.stringify(out.media) : null, out.generator, out.flag]);
  }

  async markFlagged(db: Queryable, id: string): Promise<void> {
    await updatedRows(db, SQL.markFlagged, [id]);
  }

  page(db: Queryable, q: ClipPageQuery): Promise<ClipSummaryRecord[]> {
    return db.query(SQL.page, [q.limit, q.state, q.createdBy, q.before?.createdAt ?? null, q.before?.id ?? null]);
  }

  /** Right to erasure: the prompts of a person's clips; returns how many clips had one. */
  async erasePromptsOf(db: Queryable, userId: string): Promise<number> {
    return (await updatedRows(db, SQL.erasePromptsOf, [userId])).length;
  }

  countByState(db: Queryable): Promise<{ state: ClipState; n: number }[]> {
    return db.query(SQL.countByState);
  }

  /** Elects one process per turn to sweep for clips whose job was lost: true if this transaction holds the turn until it ends. */
  async takeSweepTurn(db: Queryable): Promise<boolean> {
    const [{ locked }]: { locked: boolean }[] = await db.query(SQL.takeSweepTurn);
    return locked;
  }

  /** Locks and returns up to `limit` clips in one of `states` that nothing has changed for `graceMs`, oldest first. */
  async lockUntouched(db: Queryable, states: readonly ClipState[], graceMs: number, limit: number): Promise<string[]> {
    const rows: { id: string }[] = await db.query(SQL.lockUntouched, [states, graceMs, limit]);
    return rows.map((r) => r.id);
  }

  /** Postgres NOTIFY is transactional: listeners hear the event only if the change commits. */
  async publishEvent(db: Queryable, event: OwnedClipEvent): Promise<void> {
    await db.query(SQL.publishEvent, [CLIP_EVENTS_CHANNEL, JSON.stringify(event)]);
  }

  /** Subscribes a dedicated connection to the clip event channel. */
  async listen(connection: Queryable): Promise<void> {
    await connection.query(SQL.listen);
  }
}
