import { type AuditEvent, auditEventLeafHash } from './audit-event';
import type { Checkpoint } from './checkpoint';
import { openSignedCheckpoint, readPublicKey } from './checkpoint-signing';
import { type Divergence, findFirstDivergence } from './divergence';
import { AuditEventError, MerkleLogError } from './errors';
import { EXPORT_FORMAT, type EventRecord, type ExportRecord, type HeaderRecord, exportRecord } from './export-format';
import { LeafHashList } from './leaf-hash-list';
import { verifyConsistency, verifyInclusion } from './proof-verification';
import { HASH_BYTES } from './tree-hash';
import { inclusionPathRanges } from './tree-ranges';
import type { LogVerification, VerificationProblem } from './verification-result';

/**
 * Checks an audit export offline, with nothing but the log's public key:
 * checkpoint signatures, consistency between checkpoints, every event's
 * inclusion proof, and the order and completeness of seq firstSeq..lastSeq.
 * Returns the first problem in file order.
 *
 * The leaf hashes the proofs vouch for (each line's own, plus the sibling
 * leaves its audit path reveals) are the record the events are compared to,
 * so an edited, dropped, added or moved line is classified like a tampered
 * database row, even when its own proof was edited too.
 *
 * An unusable public key is the caller's mistake, not a finding: it throws
 * CheckpointKeyError before any line is read.
 */
export async function verifyExport(
  lines: Iterable<string> | AsyncIterable<string>,
  publicKeyPem: string,
): Promise<LogVerification> {
  readPublicKey(publicKeyPem);
  const reader = new ExportReader(publicKeyPem);
  for await (const line of lines) {
    const problem = reader.read(line);
    if (problem) return reader.fail(problem);
  }
  return reader.finish();
}

/** An event line that broke off the sequence: kept by position among the event lines. */
interface PositionedProblem {
  position: number;
  problem: VerificationProblem;
}

class ExportReader {
  private lineNo = 0;
  private header?: HeaderRecord;
  private readonly checkpoints: Checkpoint[] = [];
  private readonly consistency = new Map<string, string[]>();
  private anchor?: Checkpoint;
  private readonly observedSeqs: number[] = [];
  private readonly observed = new LeafHashList();
  private readonly claimed = new LeafHashList();
  private readonly unreadable = new Map<number, string>();
  private readonly vouched = new LeafHashList();
  private firstBadProof?: PositionedProblem;
  private firstMalformedEvent?: PositionedProblem;

  constructor(private readonly publicKeyPem: string) {}

  /** Consumes one line; returns a problem that ends reading (header and checkpoint section). */
  read(line: string): VerificationProblem | undefined {
    this.lineNo += 1;
    if (line.trim() === '') return undefined;
    const parsed = this.parse(line);
    if (typeof parsed === 'string') {
      if (!this.anchor) return this.malformed(parsed);
      this.firstMalformedEvent ??= { position: this.observed.length, problem: this.malformed(parsed) };
      return undefined;
    }
    if (!this.header) {
      if (parsed.type !== 'header') return this.malformed('the first record must be the header');
      if (parsed.lastSeq < parsed.firstSeq) return this.malformed('header lastSeq is before firstSeq');
      if (parsed.format === EXPORT_FORMAT && parsed.proofTreeSize === undefined) return this.malformed('header has no proofTreeSize');
      if ((parsed.proofTreeSize ?? parsed.lastSeq) < parsed.lastSeq) return this.malformed('header proofTreeSize is before lastSeq');
      this.header = parsed;
      return undefined;
    }
    switch (parsed.type) {
      case 'header':
        return this.malformed('a second header');
      case 'checkpoint':
        if (this.anchor) return this.malformed('checkpoint after the first event');
        return this.addCheckpoint(parsed.note);
      case 'consistency':
        if (this.anchor) return this.malformed('consistency proof after the first event');
        this.consistency.set(`${parsed.fromSize}:${parsed.toSize}`, parsed.proof);
        return undefined;
      case 'event':
        return this.anchor ? this.addEvent(parsed) : (this.settleCheckpoints() ?? this.addEvent(parsed));
    }
  }

  fail(problem: VerificationProblem): LogVerification {
    return { ok: false, checkedEvents: 0, signedTreeSize: this.signedTreeSize(), firstProblem: problem };
  }

  finish(): LogVerification {
    if (!this.header) return this.fail(this.malformed('the export has no header'));
    if (!this.anchor) {
      const problem = this.settleCheckpoints();
      if (problem) return this.fail(problem);
    }
    const { firstSeq, lastSeq } = this.header;
    const count = lastSeq - firstSeq + 1;
    if (this.vouched.length < count) this.vouched.set(count - 1, undefined);

    const candidates: PositionedProblem[] = [];
    if (this.firstMalformedEvent) candidates.push(this.firstMalformedEvent);
    const divergence = findFirstDivergence(this.observedSeqs, this.observed, this.vouched, firstSeq, this.unreadable);
    if (divergence) candidates.push({ position: divergence.position, problem: this.explain(divergence) });
    if (this.firstBadProof) candidates.push(this.firstBadProof);
    // Earliest position wins; on a tie the malformed line, which comes first in the file.
    const first = candidates.sort((a, b) => a.position - b.position)[0];
    if (!first) return { ok: true, checkedEvents: this.observed.length, signedTreeSize: this.signedTreeSize() };
    return { ok: false, checkedEvents: first.position, signedTreeSize: this.signedTreeSize(), firstProblem: first.problem };
  }

  private parse(line: string): ExportRecord | string {
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return 'not valid JSON';
    }
    const result = exportRecord.safeParse(json);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    return `${issue.path.join('.') || 'record'}: ${issue.message}`;
  }

  private malformed(reason: string): VerificationProblem {
    return { seq: null, kind: 'malformed', message: `line ${this.lineNo}: ${reason}` };
  }

  private addCheckpoint(note: string): VerificationProblem | undefined {
    try {
      this.checkpoints.push(openSignedCheckpoint(note, this.publicKeyPem, this.header!.origin));
      return undefined;
    } catch (error) {
      if (!(error instanceof MerkleLogError)) throw error;
      return { seq: null, kind: 'bad-signature', message: `line ${this.lineNo}: ${error.message}` };
    }
  }

  /** Once all checkpoints are in: their consistency chain, and the one the events prove against. */
  private settleCheckpoints(): VerificationProblem | undefined {
    const { lastSeq, proofTreeSize = lastSeq } = this.header!;
    const sorted = [...this.checkpoints].sort((a, b) => a.treeSize - b.treeSize);
    for (let i = 1; i < sorted.length; i++) {
      const [from, to] = [sorted[i - 1], sorted[i]];
      const proof = this.consistency.get(`${from.treeSize}:${to.treeSize}`);
      if (!proof) return badProof(`no consistency proof from tree size ${from.treeSize} to ${to.treeSize}`);
      if (!verifyConsistency(from.treeSize, to.treeSize, from.rootHash, to.rootHash, decodeHashes(proof))) {
        return badProof(`the checkpoint of size ${to.treeSize} is not consistent with the one of size ${from.treeSize}`);
      }
    }
    this.anchor = sorted.find((checkpoint) => checkpoint.treeSize === proofTreeSize);
    return this.anchor ? undefined : badProof(`no signed checkpoint of tree size ${proofTreeSize}, the one the export's proofs target`);
  }

  private addEvent(record: EventRecord): undefined {
    const { firstSeq, lastSeq } = this.header!;
    const position = this.observed.length;
    this.observedSeqs.push(record.seq);
    try {
      // A field the leaf hash does not cover could be added unnoticed: refuse it.
      const extra = Object.keys(record.event).find((field) => !EVENT_FIELDS.has(field));
      if (extra !== undefined) throw new AuditEventError(`unexpected event field ${JSON.stringify(extra)}`);
      this.observed.push(auditEventLeafHash({ ...record.event, seq: record.seq } as unknown as AuditEvent));
    } catch (error) {
      if (!(error instanceof AuditEventError)) throw error;
      this.unreadable.set(position, `line ${this.lineNo}: ${error.message}`);
      this.observed.push(undefined);
    }
    const leafHash = decodeHash(record.leafHash);
    this.claimed.push(leafHash);
    const path = decodeHashes(record.inclusionProof);
    const anchor = this.anchor!;
    const proven =
      leafHash !== undefined &&
      record.seq >= firstSeq &&
      record.seq <= lastSeq &&
      verifyInclusion(record.seq - 1, anchor.treeSize, leafHash, path, anchor.rootHash);
    if (!proven) {
      this.firstBadProof ??= {
        position,
        problem: { seq: record.seq, kind: 'bad-proof', message: `line ${this.lineNo}: the inclusion proof of seq ${record.seq} does not lead to the signed root` },
      };
      return undefined;
    }
    this.vouch(record.seq - 1, leafHash);
    // A verified path also vouches for every single-leaf sibling on it.
    inclusionPathRanges(record.seq - 1, anchor.treeSize).forEach((range, i) => {
      if (range.end - range.start === 1) this.vouch(range.start, path[i]);
    });
    return undefined;
  }

  private vouch(leafIndex: number, hash: Buffer): void {
    const { firstSeq, lastSeq } = this.header!;
    if (leafIndex < firstSeq - 1 || leafIndex > lastSeq - 1) return;
    const position = leafIndex - (firstSeq - 1);
    if (!this.vouched.get(position)) this.vouched.set(position, hash);
  }

  /**
   * An entry whose own proof fails and whose neighbours' proofs do not cover
   * it cannot be classified: its content may be fine and the proof edited,
   * or both content and hash edited. Say exactly that instead of guessing.
   */
  private explain(divergence: Divergence): VerificationProblem {
    const { position, seq, kind, message } = divergence;
    const observed = this.observed.get(position);
    const claimed = this.claimed.get(position);
    if (kind === 'altered' && !this.vouched.get(position) && observed && claimed?.equals(observed)) {
      return {
        seq,
        kind: 'bad-proof',
        message: `seq ${seq} cannot be confirmed: its inclusion proof does not lead to the signed root (the event or its proof was edited)`,
      };
    }
    return { seq, kind, message };
  }

  private signedTreeSize(): number {
    return Math.max(0, ...this.checkpoints.map((checkpoint) => checkpoint.treeSize));
  }
}

const EVENT_FIELDS = new Set(['at', 'actor', 'action', 'subjectType', 'subjectId', 'body']);

const badProof = (message: string): VerificationProblem => ({ seq: null, kind: 'bad-proof', message });

function decodeHash(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length === HASH_BYTES && bytes.toString('base64') === text ? bytes : undefined;
}

/** Undecodable elements become empty buffers, which no verifier accepts. */
function decodeHashes(texts: readonly string[]): Buffer[] {
  return texts.map((text) => decodeHash(text) ?? Buffer.alloc(0));
}
