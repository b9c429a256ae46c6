import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Provenance:
 * - watermark_payloads: the 64-bit identifier embedded in each clip's
 *   invisible watermark, one per clip and never reused, so a detected
 *   payload leads back to exactly one clip;
 * - c2pa_manifests: every C2PA manifest we signed (the manifest JSON and the
 *   embedded JUMBF manifest store), findable by clip, by the signed file's
 *   SHA-256 and by watermark payload, so a publisher holding a stripped copy
 *   gets the original manifest back.
 * Both hold identifiers and hashes only, no personal data.
 */
export class Provenance1764158800000 implements MigrationInterface {
  name = 'Provenance1764158800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE watermark_payloads (
        payload text PRIMARY KEY CHECK (payload ~ '^[0-9a-f]{16}$'),
        clip_id uuid NOT NULL UNIQUE REFERENCES clips(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE c2pa_manifests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        clip_id uuid NOT NULL REFERENCES clips(id) ON DELETE CASCADE,
        signed_sha256 text NOT NULL UNIQUE CHECK (signed_sha256 ~ '^[0-9a-f]{64}$'),
        approved_sha256 text NOT NULL,
        watermark_payload text NOT NULL,
        manifest_label text NOT NULL,
        manifest jsonb NOT NULL,
        manifest_store bytea NOT NULL,
        timestamped boolean NOT NULL,
        signed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX c2pa_manifests_clip_idx ON c2pa_manifests (clip_id, signed_at);
      CREATE INDEX c2pa_manifests_payload_idx ON c2pa_manifests (watermark_payload, signed_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE c2pa_manifests; DROP TABLE watermark_payloads;`);
  }
}
