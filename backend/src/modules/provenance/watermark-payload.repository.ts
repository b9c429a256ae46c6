import type { Queryable } from '../../database/queryable';

const SQL = {
  // ON CONFLICT DO NOTHING covers both a retried stage (the clip already has one) and a payload collision.
  tryAssign: `INSERT INTO watermark_payloads (payload, clip_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
  ofClip: `SELECT w.payload, c.created_by AS "createdBy" FROM watermark_payloads w JOIN clips c ON c.id = w.clip_id WHERE w.clip_id = $1`,
  clipFor: `SELECT clip_id FROM watermark_payloads WHERE payload = $1`,
} as const;

/** The payload registry (watermark_payloads): one 64-bit identifier per clip, never reused. */
export class WatermarkPayloadRepository {
  static readonly sql = SQL;

  async tryAssign(db: Queryable, payloadHex: string, clipId: string): Promise<void> {
    await db.query(SQL.tryAssign, [payloadHex, clipId]);
  }

  /** The clip's payload and its creator's id, once assigned. */
  async ofClip(db: Queryable, clipId: string): Promise<{ payload: string; createdBy: string } | null> {
    const [row]: { payload: string; createdBy: string }[] = await db.query(SQL.ofClip, [clipId]);
    return row ?? null;
  }

  async clipFor(db: Queryable, payloadHex: string): Promise<string | null> {
    const [row]: { clip_id: string }[] = await db.query(SQL.clipFor, [payloadHex.toLowerCase()]);
    return row?.clip_id ?? null;
  }
}
