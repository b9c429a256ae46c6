import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { PAYLOAD_BYTES } from '../../engines/watermark';

export interface WatermarkAssignment {
  /** Lower-case hex of the 8-byte payload. */
  payloadHex: string;
  /** The creator's public handle for the visible label: a prefix of their user id, never a name or e-mail. */
  creatorHandle: string;
}

const HANDLE_CHARS = 8;
const MAX_COLLISION_RETRIES = 5;

/**
 * The payload registry: a fresh random 64-bit identifier per clip, unique
 * across clips, that the invisible watermark carries and that leads back to
 * the clip. Asking again for the same clip returns the same payload, so a
 * retried watermark stage embeds the same identifier.
 */
@Injectable()
export class WatermarkPayloads {
  constructor(private readonly dataSource: DataSource) {}

  async assign(clipId: string): Promise<WatermarkAssignment> {
    for (let attempt = 0; attempt < MAX_COLLISION_RETRIES; attempt++) {
      const candidate = randomBytes(PAYLOAD_BYTES).toString('hex');
      // ON CONFLICT DO NOTHING covers both a retried stage (clip already has one) and a payload collision.
      await this.dataSource.query(`INSERT INTO watermark_payloads (payload, clip_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [candidate, clipId]);
      const rows: { payload: string; created_by: string }[] = await this.dataSource.query(
        `SELECT w.payload, c.created_by FROM watermark_payloads w JOIN clips c ON c.id = w.clip_id WHERE w.clip_id = $1`,
        [clipId],
      );
      if (rows.length) return { payloadHex: rows[0].payload, creatorHandle: rows[0].created_by.replace(/-/g, '').slice(0, HANDLE_CHARS) };
    }
    throw new Error(`could not find an unused watermark payload for clip ${clipId} in ${MAX_COLLISION_RETRIES} tries`);
  }

  /** The clip a payload was assigned to, or null. */
  async clipFor(payloadHex: string): Promise<string | null> {
    const rows: { clip_id: string }[] = await this.dataSource.query(`SELECT clip_id FROM watermark_payloads WHERE payload = $1`, [payloadHex.toLowerCase()]);
    return rows[0]?.clip_id ?? null;
  }
}
