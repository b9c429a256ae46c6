import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { StoredManifestDto } from '@provenant/shared';

export interface ManifestRecord {
  clipId: string;
  signedSha256: string;
  approvedSha256: string;
  watermarkPayload: string;
  manifestLabel: string;
  manifest: Record<string, unknown>;
  /** The JUMBF manifest store embedded in the signed file. */
  manifestStore: Uint8Array;
  timestamped: boolean;
}

interface ManifestRow {
  manifest_label: string;
  signed_sha256: string;
  watermark_payload: string;
  signed_at: Date;
  timestamped: boolean;
  manifest: Record<string, unknown>;
}

const COLUMNS = 'manifest_label, signed_sha256, watermark_payload, signed_at, timestamped, manifest';

/**
 * Every C2PA manifest we sign, kept so that it can be found again by clip, by
 * the signed file's SHA-256, or by the watermark payload of a copy whose
 * embedded manifest was stripped.
 */
@Injectable()
export class ManifestStore {
  constructor(private readonly dataSource: DataSource) {}

  async record(entry: ManifestRecord): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO c2pa_manifests (clip_id, signed_sha256, approved_sha256, watermark_payload, manifest_label, manifest, manifest_store, timestamped)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (signed_sha256) DO NOTHING`,
      [entry.clipId, entry.signedSha256, entry.approvedSha256, entry.watermarkPayload, entry.manifestLabel, entry.manifest, Buffer.from(entry.manifestStore), entry.timestamped],
    );
  }

  /** The manifest of the file with this SHA-256, if we signed it. */
  async bySignedSha256(sha256: string): Promise<StoredManifestDto & { clipId: string } | null> {
    const rows: (ManifestRow & { clip_id: string })[] = await this.dataSource.query(`SELECT clip_id, ${COLUMNS} FROM c2pa_manifests WHERE signed_sha256 = $1`, [sha256]);
    return rows.length ? { clipId: rows[0].clip_id, ...toDto(rows[0]) } : null;
  }

  /** A manifest already signed for this clip over this approved file (a retried release), if any. */
  async signedFrom(clipId: string, approvedSha256: string): Promise<StoredManifestDto | null> {
    const rows: ManifestRow[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM c2pa_manifests WHERE clip_id = $1 AND approved_sha256 = $2 ORDER BY signed_at DESC LIMIT 1`,
      [clipId, approvedSha256],
    );
    return rows.length ? toDto(rows[0]) : null;
  }

  /** The latest manifest signed for this clip. */
  async latestForClip(clipId: string): Promise<StoredManifestDto | null> {
    const rows: ManifestRow[] = await this.dataSource.query(`SELECT ${COLUMNS} FROM c2pa_manifests WHERE clip_id = $1 ORDER BY signed_at DESC LIMIT 1`, [clipId]);
    return rows.length ? toDto(rows[0]) : null;
  }

  /** The latest manifest whose soft binding carries this watermark payload. */
  async latestForPayload(payloadHex: string): Promise<StoredManifestDto & { clipId: string } | null> {
    const rows: (ManifestRow & { clip_id: string })[] = await this.dataSource.query(
      `SELECT clip_id, ${COLUMNS} FROM c2pa_manifests WHERE watermark_payload = $1 ORDER BY signed_at DESC LIMIT 1`,
      [payloadHex.toLowerCase()],
    );
    return rows.length ? { clipId: rows[0].clip_id, ...toDto(rows[0]) } : null;
  }
}

function toDto(row: ManifestRow): StoredManifestDto {
  return {
    manifestLabel: row.manifest_label,
    signedSha256: row.signed_sha256,
    watermarkPayload: row.watermark_payload,
    signedAt: new Date(row.signed_at).toISOString(),
    timestamped: row.timestamped,
    manifest: row.manifest,
  };
}
