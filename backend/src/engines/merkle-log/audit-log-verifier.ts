import { auditEventLeafHash, requireSeq, type AuditEvent } from './audit-event';
import type { Checkpoint } from './checkpoint';
import { openSignedCheckpoint, readPublicKey } from './checkpoint-signing';
import { CompactRange } from './compact-range';
import { type Divergence, findFirstDivergence } from './divergence';
import { AuditEventError, MerkleLogError } from './errors';
import { LeafHashList } from './leaf-hash-list';
import type { LogVerification, VerificationProblem } from './verification-result';

export interface AuditLogVerifierOptions {
  /** The log's origin line; checkpoints for another origin are refused. */
  origin: string;
  publicKeyPem: string;
  /** Signed checkpoint notes, any order. */
  checkpoints: readonly string[];
}

/** A checkpoint whose roots, recomputed from the store and from the events, were compared. */
interface CheckpointCheck {
  checkpoint: Checkpoint;
  storeMatches: boolean;
  eventsMatch: boolean;
}

/**
 * Recomputes the whole log and names the first entry that was altered,
 * removed, inserted or reordered. Three witnesses are compared:
 *   - the events as they are now (audit_events, in seq order),
 *   - the leaf hashes recorded at append time (hash store, level 0),
 *   - the signed checkpoints (which vouch for the recorded hashes).
 * Events against recorded hashes pinpoint and classify a change; checkpoints
 * decide whether the recorded hashes themselves can be trusted, so rewriting
 * both an event and its stored hash is still caught, as a `bad-proof` over
 * the range the first broken checkpoint covers.
 *
 * Feed events and recorded hashes in batches (both in seq order, all of
 * them, from seq 1), then call `finish`. Memory: about 40 bytes per entry.
 */
export class AuditLogVerifier {
  private readonly observed = new LeafHashList();
  private readonly observedSeqs: number[] = [];
  private readonly unreadable = new Map<number, string>();
  private readonly recorded = new LeafHashList();

  /** Throws CheckpointKeyError at once for an unusable public key. */
  constructor(private readonly options: AuditLogVerifierOptions) {
    readPublicKey(options.publicKeyPem);
  }

  /** Events in seq order. A seq that is not a positive integer is a caller bug and throws. */
  addEvents(events: readonly AuditEvent[]): void {
    for (const event of events) {
      this.observedSeqs.push(requireSeq(event.seq));
      try {
        this.observed.push(auditEventLeafHash(event));
      } catch (error) {
        // A row a superuser made unencodable is tampering to report, not a crash.
        if (!(error instanceof AuditEventError)) throw error;
        this.unreadable.set(this.observed.length, error.message);
        this.observed.push(undefined);
      }
    }
  }

  /** Recorded leaf hashes in leaf order (leaf i belongs to seq i + 1). */
  addRecordedLeafHashes(hashes: readonly Uint8Array[]): void {
    for (const hash of hashes) this.recorded.push(hash);
  }

  finish(): LogVerification {
    const opened = this.openCheckpoints();
    if ('problem' in opened) return { ok: false, checkedEvents: 0, signedTreeSize: 0, firstProblem: opened.problem };
    const checks = opened.checkpoints.map((checkpoint) => ({
      checkpoint,
      storeMatches: false,
      eventsMatch: false,
    }));
    this.compareRoots(checks);
    const signedTreeSize = checks.at(-1)?.checkpoint.treeSize ?? 0;

    // The largest checkpoint the recorded hashes reproduce vouches for every leaf below it.
    const vouchedSize = Math.max(0, ...checks.filter((c) => c.storeMatches).map((c) => c.checkpoint.treeSize));
    const fork = checks.find((c) => !c.storeMatches && c.checkpoint.treeSize <= vouchedSize);
    if (fork) {
      const message = `the signed checkpoint of size ${fork.checkpoint.treeSize} contradicts the signed checkpoint of size ${vouchedSize} that the log matches: the key signed two histories (a fork)`;
      return { ok: false, checkedEvents: 0, signedTreeSize, firstProblem: { seq: null, kind: 'bad-proof', message } };
    }
    const storeBreak = checks.find((c) => !c.storeMatches);
    const divergence = findFirstDivergence(this.observedSeqs, this.observed, this.recorded, 1, this.unreadable);

    const problem = this.judge(divergence, storeBreak, storeBreak ? vouchedSize : Infinity);
    if (!problem) return { ok: true, checkedEvents: this.observed.length, signedTreeSize };
    return { ok: false, checkedEvents: problem.checkedEvents, signedTreeSize, firstProblem: problem.problem };
  }

  private judge(
    divergence: Divergence | null,
    storeBreak: CheckpointCheck | undefined,
    vouchedSize: number,
  ): { problem: VerificationProblem; checkedEvents: number } | null {
    if (divergence && (!storeBreak || divergence.position < vouchedSize)) {
      return { problem: asProblem(divergence), checkedEvents: divergence.position };
    }
    if (!storeBreak) return null;
    const { treeSize } = storeBreak.checkpoint;
    const first = vouchedSize + 1;
    if (divergence && divergence.position < treeSize) {
      if (storeBreak.eventsMatch) {
        return {
          checkedEvents: divergence.position,
          problem: {
            seq: divergence.position + 1,
            kind: 'bad-proof',
            message: `the recorded leaf hash of seq ${divergence.position + 1} was altered or lost: the events still match the signed checkpoint of size ${treeSize}, the hash store does not`,
          },
        };
      }
      return {
        checkedEvents: divergence.position,
        problem: { ...asProblem(divergence), message: `${divergence.message} (the recorded hashes also fail the signed checkpoint of size ${treeSize})` },
      };
    }
    if (this.recorded.length < treeSize) {
      return {
        checkedEvents: this.recorded.length,
        problem: {
          seq: this.recorded.length + 1,
          kind: 'removed',
          message: `seq ${this.recorded.length + 1} onwards was removed: the signed checkpoint covers ${treeSize} entries, the log holds ${this.recorded.length}`,
        },
      };
    }
    return {
      checkedEvents: vouchedSize,
      problem: {
        seq: first,
        kind: 'bad-proof',
        message: `an entry in seq ${first}..${treeSize} was changed together with its recorded leaf hash: they no longer produce the root of the signed checkpoint of size ${treeSize}`,
      },
    };
  }

  private openCheckpoints(): { checkpoints: Checkpoint[] } | { problem: VerificationProblem } {
    const checkpoints: Checkpoint[] = [];
    for (const [i, note] of this.options.checkpoints.entries()) {
      try {
        checkpoints.push(openSignedCheckpoint(note, this.options.publicKeyPem, this.options.origin));
      } catch (error) {
        if (!(error instanceof MerkleLogError)) throw error;
        return { problem: { seq: null, kind: 'bad-signature', message: `checkpoint #${i + 1}: ${error.message}` } };
      }
    }
    return { checkpoints: checkpoints.sort((a, b) => a.treeSize - b.treeSize) };
  }

  /** One streaming pass per witness, reading the root off at each checkpoint size. */
  private compareRoots(checks: CheckpointCheck[]): void {
    const fold = (list: LeafHashList, mark: (check: CheckpointCheck, root: Buffer) => void) => {
      const range = CompactRange.empty();
      let next = 0;
      for (let i = 0; next < checks.length; i++) {
        while (next < checks.length && checks[next].checkpoint.treeSize === range.size) mark(checks[next++], range.root());
        const leaf = list.get(i);
        if (i >= list.length || !leaf) return; // unknown leaf: this and larger checkpoints stay unmatched
        range.append(Buffer.from(leaf));
      }
    };
    fold(this.recorded, (check, root) => (check.storeMatches = root.equals(check.checkpoint.rootHash)));
    fold(this.observed, (check, root) => (check.eventsMatch = root.equals(check.checkpoint.rootHash)));
  }
}

const asProblem = ({ seq, kind, message }: Divergence): VerificationProblem => ({ seq, kind, message });
