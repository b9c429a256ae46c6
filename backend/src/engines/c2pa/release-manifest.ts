import { CHECK_KINDS, CHECK_VERDICTS } from '@provenant/shared';
import { z } from 'zod';
import { InvalidProvenanceError } from './c2pa-errors';
import {
  ImageResource,
  REVIEW_ASSERTION_LABEL,
  ReleaseProvenance,
  TRAINED_ALGORITHMIC_MEDIA,
} from './release-provenance';

/** A c2pa-rs ManifestDefinition (the JSON `Builder::from_json` takes). */
export type ManifestDefinition = Record<string, unknown>;

/** What the wasm builder needs: the definition plus the binary resources it refers to. */
export interface ReleaseManifestPlan {
  definition: ManifestDefinition;
  thumbnail: ImageResource;
  ingredient?: { json: string; format: string; bytes: Uint8Array };
}

const REFERENCE_INGREDIENT_LABEL = 'reference-image';

const text = (max: number) => z.string().trim().min(1).max(max);
const agent = z.object({ name: text(200), version: text(100).optional() });
const bytes = z.instanceof(Uint8Array).refine((b) => b.length > 0, 'must not be empty');

const provenanceSchema = z.object({
  clipId: z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits or . _ : -'),
  source: z.enum(['prompt', 'upload']),
  generator: agent,
  digitalSourceType: z
    .string()
    .regex(/^http:\/\/cv\.iptc\.org\/newscodes\/digitalsourcetype\/[A-Za-z]+$/, 'must be an IPTC digital source type URI')
    .optional(),
  provenantVersion: text(50),
  watermark: z.object({
    algorithm: z.string().regex(/^[a-z0-9][a-z0-9._-]{2,99}$/, 'must be a lower-case algorithm name like org.provenant.watermark.v1'),
    payloadHex: z.string().regex(/^([0-9a-f]{2}){1,256}$/, 'must be lower-case hex, whole bytes'),
    durationMs: z.number().int().positive().optional(),
  }),
  review: z
    .object({
      decision: z.literal('approved'),
      approvals: z.number().int().min(1),
      policyVersion: text(100),
      checkVerdicts: z.partialRecord(z.enum(CHECK_KINDS), z.enum(CHECK_VERDICTS)),
      auditSeq: z.number().int().positive(),
      checkpoint: z
        .string()
        .max(8192)
        .regex(/^[^\s+][^\n]*\n(0|[1-9][0-9]*)\n[A-Za-z0-9+/]{43}=\n[\s\S]*?\n\n(\u2014 \S+ \S+\n)+$/u, 'must be a signed checkpoint note'),
    })
    .refine((r) => checkpointTreeSize(r.checkpoint) >= r.auditSeq, {
      message: 'checkpoint must cover the approval event (tree size >= auditSeq)',
      path: ['checkpoint'],
    }),
  thumbnail: z.object({ format: z.enum(['image/jpeg', 'image/png']), bytes }),
  referenceImage: z
    .object({ format: z.enum(['image/jpeg', 'image/png', 'image/webp']), bytes, title: text(200).optional() })
    .optional(),
});

function checkpointTreeSize(note: string): number {
  return Number(note.split('\n')[1]);
}

/**
 * Turns a clip's release provenance into the manifest c2pa-rs signs:
 * claim_generator_info, c2pa.actions (created by a trained model, then
 * watermarked), the soft binding that leads back to the manifest after
 * stripping, and our review-outcome assertion.
 */
export function planReleaseManifest(input: ReleaseProvenance): ReleaseManifestPlan {
  const parsed = provenanceSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidProvenanceError(`release provenance ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const p = parsed.data;

  const created: Record<string, unknown> = {
    action: 'c2pa.created',
    digitalSourceType: p.digitalSourceType ?? TRAINED_ALGORITHMIC_MEDIA,
    softwareAgent: p.generator,
  };
  if (p.referenceImage) created.parameters = { ingredientIds: [REFERENCE_INGREDIENT_LABEL] };
  const provenant = { name: 'Provenant', version: p.provenantVersion };

  const definition: ManifestDefinition = {
    claim_generator_info: [provenant],
    title: `${p.clipId}.mp4`,
    format: 'video/mp4',
    assertions: [
      {
        label: 'c2pa.actions.v2',
        data: {
          actions: [
            created,
            // ".bound": the watermark is tied to this manifest by the soft binding below.
            { action: 'c2pa.watermarked.bound', softwareAgent: provenant },
          ],
        },
      },
      {
        label: 'c2pa.soft-binding',
        data: {
          alg: p.watermark.algorithm,
          pad: [],
          blocks: [
            {
              scope: p.watermark.durationMs ? { timespan: { start: 0, end: p.watermark.durationMs } } : {},
              value: p.watermark.payloadHex,
            },
          ],
        },
      },
      {
        label: REVIEW_ASSERTION_LABEL,
        data: { clipId: p.clipId, source: p.source, ...p.review },
      },
    ],
  };

  const plan: ReleaseManifestPlan = { definition, thumbnail: p.thumbnail };
  if (p.referenceImage) {
    plan.ingredient = {
      json: JSON.stringify({
        title: p.referenceImage.title ?? 'reference image',
        relationship: 'inputTo',
        label: REFERENCE_INGREDIENT_LABEL,
      }),
      format: p.referenceImage.format,
      bytes: p.referenceImage.bytes,
    };
  }
  return plan;
}
