import { z } from 'zod';

/**
 * The audit export: JSON Lines, one record per line, in this order:
 *   1. header       {type, format, origin, firstSeq, lastSeq, proofTreeSize}
 *   2. checkpoint   {type, note}: signed notes, ascending tree size; one has
 *                   treeSize = proofTreeSize (>= lastSeq: an existing
 *                   checkpoint, so exporting signs nothing new) and every
 *                   inclusion proof targets it
 *   3. consistency  {type, fromSize, toSize, proof}: one per consecutive pair
 *                   of checkpoints
 *   4. event        {type, seq, event, leafHash, inclusionProof}: seq
 *                   firstSeq..lastSeq in order
 * Hashes are base64. Nothing but a public key is needed to check it.
 */
/** v2 added `proofTreeSize`; a v1 export (proofs against a checkpoint of size lastSeq) still verifies. */
export const EXPORT_FORMAT = 'provenant-audit-export/v2';
const EXPORT_FORMAT_V1 = 'provenant-audit-export/v1';

const seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const size = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

const headerRecord = z.strictObject({
  type: z.literal('header'),
  format: z.enum([EXPORT_FORMAT, EXPORT_FORMAT_V1]),
  origin: z.string().min(1),
  firstSeq: seq,
  lastSeq: seq,
  /** The signed checkpoint every inclusion proof targets, at or after lastSeq (v2; v1 means lastSeq). */
  proofTreeSize: seq.optional(),
});

const checkpointRecord = z.strictObject({ type: z.literal('checkpoint'), note: z.string() });

const consistencyRecord = z.strictObject({
  type: z.literal('consistency'),
  fromSize: size,
  toSize: size,
  proof: z.array(z.string()),
});

const eventRecord = z.strictObject({
  type: z.literal('event'),
  seq,
  // Field by field checking is left to encodeAuditEvent, so a damaged event
  // is reported as an altered entry rather than an unreadable line.
  event: z.record(z.string(), z.unknown()),
  leafHash: z.string(),
  inclusionProof: z.array(z.string()),
});

export const exportRecord = z.discriminatedUnion('type', [headerRecord, checkpointRecord, consistencyRecord, eventRecord]);

export type ExportRecord = z.infer<typeof exportRecord>;
export type HeaderRecord = z.infer<typeof headerRecord>;
export type EventRecord = z.infer<typeof eventRecord>;
