import type { StoredManifestDto } from '@provenant/shared';
import type { Queryable } from '../../database/queryable';
import type { SignedManifest } from '../pipeline/stages/signing.stage';

export type ManifestOfClip = StoredManifestDto & { clipId: string };

const COLUMNS = `clip_id AS "clipId", manifest_label AS "manifestLabel", signed_sha256 AS "signedSha256", watermark_payload AS "watermarkPayload",
       signed_at AS "signedAt", timestamped, manifest`;

const SQL = {
  insert: `
    INSERT INTO c2pa_manifests (clip_id, signed_sha256, approved_sha256, watermark_payload, manifest_label, manifest, manifest_store, timestamped)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (signed_sha256) DO NOTHING`,
  bySignedSha256: `SELECT ${COLUMNS} FROM c2pa_manifests WHERE signed_sha256 = $1`,
  signedFrom: `SELECT ${COLUMNS} FROM c2pa_manifests WHERE clip_id = $1 AND approved_sha256 = $2 ORDER BY signed_at DESC LIMIT 1`,
  latestForClip: `SELECT ${COLUMNS} FROM c2pa_manifests WHERE clip_id = $1 ORDER BY signed_at DESC LIMIT 1`,
  latestForPayload: `SELECT ${COLUMNS} FROM c2pa_manifests WHERE watermark_payload = $1 ORDER BY signed_at DESC LIMIT 1`,
} as const;

type Row = Omit<ManifestOfClip, 'signedAt'> & { signedAt: Date };
const first = (rows: Row[]): ManifestOfClip | null => (rows.length ? { ...rows[0], signedAt: new Date(rows[0].signedAt).toISOString() } : null);

/**
 * Every C2PA manifest we sign (c2pa_manifests), findable by clip, by the
 * signed file's SHA-256, or by the watermark payload of a copy whose
 * embedded manifest was stripped.
 */
export class ManifestRepository {
  static readonly sql = SQL;

  async insert(db: Queryable, m: SignedManifest): Promise<void> {
    await db.query(SQL.insert, [m.clipId, m.signedSha256, m.approvedSha256, m.watermarkPayload, m.manifestLabel, m.manifest, Buffer.from(m.manifestStore), m.timestamped]);
  }

  /** The manifest of the file with this SHA-256, if we signed it. */
  async bySignedSha256(db: Queryable, sha256: string): Promise<ManifestOfClip | null> {
    return first(await db.query(SQL.bySignedSha256, [sha256]));
  }

  /** A manifest already signed for this clip over this approved file (a retried release), if any. */
  async signedFrom(db: Queryable, clipId: string, approvedSha256: string): Promise<ManifestOfClip | null> {
    return first(await db.query(SQL.signedFrom, [clipId, approvedSha256]));
  }

  async latestForClip(db: Queryable, clipId: string): Promise<ManifestOfClip | null> {
    return first(await db.query(SQL.latestForClip, [clipId]));
  }

  /** The latest manifest whose soft binding carries this watermark payload. */
  async latestForPayload(db: Queryable, payloadHex: string): Promise<ManifestOfClip | null> {
    return first(await db.query(SQL.latestForPayload, [payloadHex.toLowerCase()]));
  }
}
