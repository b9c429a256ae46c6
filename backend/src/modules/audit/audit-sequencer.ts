import { auditEventLeafHash } from '../../engines/merkle-log';
import type { Queryable } from '../../database/queryable';
import { AuditEventRepository } from './audit-event.repository';
import { MerkleNodeRepository } from './merkle-node.repository';

const BATCH = 5_000;

/**
 * Gives committed events their gap-free position in the log (seq) and
 * stores each one's Merkle leaf hash. Each batch takes the committed events
 * with the smallest ids, so an event appended after another one committed
 * (a later step of the same clip, say) always gets the larger seq: its id is
 * larger, and no snapshot can see it without the earlier one.
 *
 * Writers append without a position (AuditLog), so no writer waits for
 * another; only the holder of the integrator's turn runs this, inside that
 * turn's transaction: a process killed at any point leaves either the whole
 * turn or none of it.
 */
export class AuditSequencer {
  private readonly events = new AuditEventRepository();

  /** Sequences everything visible to `m`; returns the log's new size. */
  async sequencePending(m: Queryable): Promise<number> {
    const start = await this.events.headSize(m);
    let size = start;
    for (;;) {
      const pending = await this.events.unsequenced(m, BATCH);
      if (pending.length === 0) break;
      const seqs = pending.map((_, i) => size + 1 + i);
      await this.events.assignSeqs(m, pending.map((e) => e.id), seqs);
      // The hash covers the event exactly as stored, read back from the row.
      await new MerkleNodeRepository(m).insertLeaves(seqs, pending.map((e, i) => auditEventLeafHash({ ...e, seq: seqs[i] })));
      size += pending.length;
      if (pending.length < BATCH) break;
    }
    if (size !== start) await this.events.setHeadSize(m, size);
    return size;
  }
}
