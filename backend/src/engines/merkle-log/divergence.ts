import type { LeafHashList } from './leaf-hash-list';
import type { EntryTamperKind } from './verification-result';

export interface Divergence {
  /** Position in the observed list where the observed log stops matching. */
  position: number;
  seq: number;
  kind: EntryTamperKind;
  message: string;
}

/**
 * Walks the observed entries (in the order given) against the recorded leaf
 * hashes (position k is seq firstSeq + k) and names the first divergence.
 * At a mismatch, where each side's hash shows up further on decides:
 *
 *   observed entry elsewhere | recorded entry elsewhere | verdict
 *   no                       | no                       | altered
 *   no                       | yes (later)              | inserted
 *   yes (later)              | no                       | removed
 *   yes                      | yes                      | reordered
 *
 * Content and seq are judged apart: content at the right position under the
 * wrong seq number is an altered seq. An observed position left unknown is
 * an entry that could not even be encoded; `unreadable` says why.
 */
export function findFirstDivergence(
  observedSeqs: readonly number[],
  observed: LeafHashList,
  recorded: LeafHashList,
  firstSeq: number,
  unreadable: ReadonlyMap<number, string> = new Map(),
): Divergence | null {
  const length = Math.max(observed.length, recorded.length);
  for (let k = 0; k < length; k++) {
    const expectedSeq = firstSeq + k;
    if (k >= observed.length) {
      return {
        position: k,
        seq: expectedSeq,
        kind: 'removed',
        message: `seq ${expectedSeq} was removed: the log stops at seq ${expectedSeq - 1} but ${recorded.length} entries were recorded`,
      };
    }
    const seq = observedSeqs[k];
    if (k >= recorded.length) {
      return {
        position: k,
        seq,
        kind: 'inserted',
        message: `seq ${seq} was inserted: only ${recorded.length} entries were recorded, up to seq ${expectedSeq - 1}`,
      };
    }
    const actual = observed.get(k);
    if (!actual) {
      return {
        position: k,
        seq: expectedSeq,
        kind: 'altered',
        message: `seq ${expectedSeq} was altered: ${unreadable.get(k) ?? 'its content cannot be read'}`,
      };
    }
    const expected = recorded.get(k);
    if (expected?.equals(actual)) {
      if (seq === expectedSeq) continue;
      return {
        position: k,
        seq: expectedSeq,
        kind: 'altered',
        message: `seq ${expectedSeq} was altered: its content is intact but it now carries seq ${seq}`,
      };
    }
    return classifyMismatch(k, seq, expectedSeq, observedSeqs, observed, recorded, firstSeq);
  }
  return null;
}

function classifyMismatch(
  k: number,
  seq: number,
  expectedSeq: number,
  observedSeqs: readonly number[],
  observed: LeafHashList,
  recorded: LeafHashList,
  firstSeq: number,
): Divergence {
  const actual = Buffer.from(observed.get(k)!);
  const expected = recorded.get(k);
  const actualRecordedAt = recorded.indexOf(actual, k + 1);
  const expectedObservedAt = expected ? observed.indexOf(Buffer.from(expected), k + 1) : -1;

  if (actualRecordedAt < 0 && expectedObservedAt < 0) {
    return {
      position: k,
      seq: expectedSeq,
      kind: 'altered',
      message: `seq ${expectedSeq} was altered: its content no longer matches the recorded leaf hash`,
    };
  }
  if (actualRecordedAt < 0) {
    return {
      position: k,
      seq,
      kind: 'inserted',
      message: `an entry that was never recorded was inserted as seq ${seq}, before the entry recorded as seq ${expectedSeq} (now seq ${observedSeqs[expectedObservedAt]})`,
    };
  }
  if (expectedObservedAt < 0) {
    return {
      position: k,
      seq: expectedSeq,
      kind: 'removed',
      message: `seq ${expectedSeq} was removed: the next entry present is the one recorded as seq ${firstSeq + actualRecordedAt} (now seq ${seq})`,
    };
  }
  return {
    position: k,
    seq: expectedSeq,
    kind: 'reordered',
    message: `seq ${expectedSeq} was reordered: its place holds the entry recorded as seq ${firstSeq + actualRecordedAt}, and it appears further on as seq ${observedSeqs[expectedObservedAt]}`,
  };
}
