import { InvalidProvenanceError } from './c2pa-errors';
import { planReleaseManifest } from './release-manifest';
import { ReleaseProvenance, TRAINED_ALGORITHMIC_MEDIA } from './release-provenance';

const CHECKPOINT =
  'provenant.local/audit\n57\nq1XJnqQ0rMJm7q8n1fN1E9mZ0W8dK3mP8m2u2k3O4yA=\ntimestamp 2026-11-26T12:00:00.000Z\n\n\u2014 provenant.local/audit AAAAAQ3nQ0r8c2p4==\n';

function provenance(): ReleaseProvenance {
  return {
    clipId: '7f1c2a9e-5b1d-4c8e-9a44-2f5e0b1c3d4e',
    source: 'upload',
    generator: { name: 'Runway Gen-4' },
    provenantVersion: '0.1.0',
    watermark: { algorithm: 'org.provenant.watermark.v1', payloadHex: 'a1b2c3d4' },
    review: {
      decision: 'approved',
      approvals: 1,
      policyVersion: 'p-7',
      checkVerdicts: { moderation: 'allow' },
      auditSeq: 57,
      checkpoint: CHECKPOINT,
    },
    thumbnail: { format: 'image/png', bytes: new Uint8Array([1, 2, 3]) },
  };
}

describe('planReleaseManifest', () => {
  it('describes a trained-model clip, its watermark as action and soft binding, and the review outcome', () => {
    const plan = planReleaseManifest(provenance());

    expect(plan.definition).toEqual({
      claim_generator_info: [{ name: 'Provenant', version: '0.1.0' }],
      title: '7f1c2a9e-5b1d-4c8e-9a44-2f5e0b1c3d4e.mp4',
      format: 'video/mp4',
      assertions: [
        {
          label: 'c2pa.actions.v2',
          data: {
            actions: [
              { action: 'c2pa.created', digitalSourceType: TRAINED_ALGORITHMIC_MEDIA, softwareAgent: { name: 'Runway Gen-4' } },
              { action: 'c2pa.watermarked.bound', softwareAgent: { name: 'Provenant', version: '0.1.0' } },
            ],
          },
        },
        {
          label: 'c2pa.soft-binding',
          data: { alg: 'org.provenant.watermark.v1', pad: [], blocks: [{ scope: {}, value: 'a1b2c3d4' }] },
        },
        {
          label: 'org.provenant.review',
          data: {
            clipId: '7f1c2a9e-5b1d-4c8e-9a44-2f5e0b1c3d4e',
            source: 'upload',
            decision: 'approved',
            approvals: 1,
            policyVersion: 'p-7',
            checkVerdicts: { moderation: 'allow' },
            auditSeq: 57,
            checkpoint: CHECKPOINT,
          },
        },
      ],
    });
    expect(plan.thumbnail.format).toBe('image/png');
    expect(plan.ingredient).toBeUndefined();
  });

  it('links a reference image as an inputTo ingredient of the created action and scopes the soft binding to the clip length', () => {
    const input = provenance();
    input.referenceImage = { format: 'image/webp', bytes: new Uint8Array([9]), title: 'ref.webp' };
    input.watermark.durationMs = 4000;
    const plan = planReleaseManifest(input);

    const assertions = plan.definition.assertions as Array<{ label: string; data: Record<string, unknown> }>;
    const created = (assertions[0].data.actions as Array<Record<string, unknown>>)[0];
    expect(created.parameters).toEqual({ ingredientIds: ['reference-image'] });
    expect(JSON.parse(plan.ingredient!.json)).toEqual({ title: 'ref.webp', relationship: 'inputTo', label: 'reference-image' });
    expect(plan.ingredient!.format).toBe('image/webp');
    expect(assertions[1].data.blocks).toEqual([{ scope: { timespan: { start: 0, end: 4000 } }, value: 'a1b2c3d4' }]);
  });

  it('carries no personal data: nothing but the fields it was designed with', () => {
    const input = { ...provenance(), prompt: 'a video of Jane Doe', createdBy: 'jane@example.com' } as ReleaseProvenance;
    const text = JSON.stringify(planReleaseManifest(input).definition);
    expect(text).not.toContain('Jane');
    expect(text).not.toContain('@example.com');
  });

  it.each([
    ['clipId', (p: ReleaseProvenance) => (p.clipId = 'has spaces'), /clipId: must be 1-128 letters/],
    ['payload', (p: ReleaseProvenance) => (p.watermark.payloadHex = 'ABC'), /watermark.payloadHex: must be lower-case hex/],
    ['decision', (p: ReleaseProvenance) => ((p.review as { decision: string }).decision = 'rejected'), /review.decision/],
    ['approvals', (p: ReleaseProvenance) => (p.review.approvals = 0), /review.approvals/],
    ['verdict', (p: ReleaseProvenance) => ((p.review.checkVerdicts as Record<string, string>).moderation = 'maybe'), /checkVerdicts/],
    ['checkpoint', (p: ReleaseProvenance) => (p.review.checkpoint = 'not a note'), /must be a signed checkpoint note/],
    ['coverage', (p: ReleaseProvenance) => (p.review.auditSeq = 58), /checkpoint must cover the approval event/],
    ['thumbnail', (p: ReleaseProvenance) => (p.thumbnail = { format: 'image/png', bytes: new Uint8Array() }), /thumbnail.bytes: must not be empty/],
    ['source type', (p: ReleaseProvenance) => (p.digitalSourceType = 'camera'), /must be an IPTC digital source type URI/],
  ])('refuses a bad %s with a message naming the field', (_name, spoil, message) => {
    const input = provenance();
    spoil(input);
    expect(() => planReleaseManifest(input)).toThrow(InvalidProvenanceError);
    expect(() => planReleaseManifest(input)).toThrow(message);
  });
});
