import { CompactRange } from './compact-range';
import { LeafHashError, MissingNodeError, NodeConflictError, ProofRequestError } from './errors';
import { type HashStore, InMemoryHashStore } from './hash-store';
import { MerkleLog } from './merkle-log';
import { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './proof-verification';
import { EMPTY_TREE_ROOT, hashChildren, hashLeaf } from './tree-hash';
import type { NodeId } from './tree-ranges';

/**
 * RFC 9162 §2.1 written out literally (recursive MTH, PATH, SUBPROOF over
 * the raw entries) as the oracle the stored-subtree engine is held to.
 */
const split = (n: number) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const mth = (d: Buffer[]): Buffer =>
  d.length === 0 ? EMPTY_TREE_ROOT : d.length === 1 ? hashLeaf(d[0]) : hashChildren(mth(d.slice(0, split(d.length))), mth(d.slice(split(d.length))));
const path = (m: number, d: Buffer[]): Buffer[] => {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
};
const subproof = (m: number, d: Buffer[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k
    ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))]
    : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
};
const proof = (m: number, d: Buffer[]) => subproof(m, d, true);

const hex = (buffers: Buffer[]) => buffers.map((b) => b.toString('hex'));
const flipBit = (hash: Buffer) => {
  const copy = Buffer.from(hash);
  copy[copy.length - 1] ^= 1;
  return copy;
};

async function logOf(entries: Buffer[], store: HashStore = new InMemoryHashStore()): Promise<MerkleLog> {
  const log = await MerkleLog.open(store, 0);
  await log.append(entries.map(hashLeaf));
  return log;
}

describe('RFC 6962 reference vectors (certificate-transparency merkle_tree_test)', () => {
  const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((h) =>
    Buffer.from(h, 'hex'),
  );
  const roots = [
    '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
    'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
    'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
    '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
    '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
    'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
    '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  ];
  let log: MerkleLog;
  beforeAll(async () => {
    log = await logOf(leaves);
  });

  it('gives the published root for every size 0..8', async () => {
    expect((await log.rootAt(0)).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    for (let n = 1; n <= 8; n++) expect((await log.rootAt(n)).toString('hex')).toBe(roots[n - 1]);
  });

  it.each([
    [0, 1, []],
    [0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
    [5, 8, ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
    [2, 3, ['fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125']],
    [1, 5, ['6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  ])('inclusion proof of leaf %i in a tree of %i', async (index, size, expected) => {
    const got = await log.inclusionProof(index, size);
    expect(hex(got)).toEqual(expected);
    expect(verifyInclusion(index, size, hashLeaf(leaves[index]), got, Buffer.from(roots[size - 1], 'hex'))).toBe(true);
  });

  it.each([
    [1, 1, []],
    [1, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']],
    [6, 8, ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7']],
    [2, 5, ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b']],
  ])('consistency proof from %i to %i', async (from, to, expected) => {
    const got = await log.consistencyProof(from, to);
    expect(hex(got)).toEqual(expected);
    expect(verifyConsistency(from, to, Buffer.from(roots[from - 1], 'hex'), Buffer.from(roots[to - 1], 'hex'), got)).toBe(true);
  });
});

describe('MerkleLog against the literal RFC 9162 definitions, all sizes up to 64', () => {
  const N = 64;
  const entries = Array.from({ length: N }, (_, i) => Buffer.from(`entry ${i}`));
  const roots = Array.from({ length: N + 1 }, (_, n) => mth(entries.slice(0, n)));
  let log: MerkleLog;
  beforeAll(async () => {
    log = await logOf(entries);
  });

  it('builds the same root one leaf at a time, in uneven batches, and after reopening', async () => {
    const store = new InMemoryHashStore();
    let oneByOne = await MerkleLog.open(store, 0);
    expect(oneByOne.rootHash()).toEqual(roots[0]);
    for (let n = 1; n <= N; n++) {
      const result = await oneByOne.append([hashLeaf(entries[n - 1])]);
      expect(result.rootHash).toEqual(roots[n]);
      expect(result.treeSize).toBe(n);
      if (n % 7 === 0) oneByOne = await MerkleLog.open(store, n); // a fresh writer picks up where the last stopped
    }
    const batched = await MerkleLog.open(new InMemoryHashStore(), 0);
    let n = 0;
    for (const size of [3, 1, 12, 16, 5, 27]) {
      await batched.append(entries.slice(n, n + size).map(hashLeaf));
      n += size;
      expect(batched.rootHash()).toEqual(roots[n]);
    }
  });

  it('computes the root of every past size from stored subtrees', async () => {
    for (let n = 0; n <= N; n++) expect(await log.rootAt(n)).toEqual(roots[n]);
  });

  it('gives PATH(m, D[n]) for every leaf of every size, and the proofs verify', async () => {
    for (let n = 1; n <= N; n++) {
      const proofs = await log.inclusionProofs(Array.from({ length: n }, (_, m) => m), n);
      for (let m = 0; m < n; m++) {
        expect(hex(proofs[m])).toEqual(hex(path(m, entries.slice(0, n))));
        expect(verifyInclusion(m, n, hashLeaf(entries[m]), proofs[m], roots[n])).toBe(true);
      }
    }
  });

  it('gives PROOF(m, D[n]) for every pair of sizes, and the proofs verify', async () => {
    for (let n = 1; n <= N; n++) {
      for (let m = 0; m <= n; m++) {
        const got = await log.consistencyProof(m, n);
        expect(hex(got)).toEqual(m === 0 ? [] : hex(proof(m, entries.slice(0, n))));
        expect(verifyConsistency(m, n, roots[m], roots[n], got)).toBe(true);
      }
    }
  });

  it('rejects every inclusion proof with a flipped, missing or extra hash, a wrong index, size or leaf', async () => {
    for (let n = 1; n <= 32; n++) {
      for (let m = 0; m < n; m++) {
        const p = await log.inclusionProof(m, n);
        const leaf = hashLeaf(entries[m]);
        for (let j = 0; j < p.length; j++) {
          const bad = [...p];
          bad[j] = flipBit(p[j]);
          expect(verifyInclusion(m, n, leaf, bad, roots[n])).toBe(false);
        }
        if (p.length > 0) expect(verifyInclusion(m, n, leaf, p.slice(0, -1), roots[n])).toBe(false);
        expect(verifyInclusion(m, n, leaf, [...p, roots[0]], roots[n])).toBe(false);
        expect(verifyInclusion(m, n, flipBit(leaf), p, roots[n])).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaf, p, roots[n])).toBe(false);
        expect(verifyInclusion(m, n + 1, leaf, p, roots[n + 1])).toBe(false);
        expect(verifyInclusion(m, n, leaf, p, flipBit(roots[n]))).toBe(false);
      }
    }
    expect(rootFromInclusionProof(3, 3, hashLeaf(entries[3]), [])).toBeNull();
    expect(rootFromInclusionProof(-1, 3, hashLeaf(entries[0]), [])).toBeNull();
    expect(verifyInclusion(0, 2, Buffer.alloc(31), [hashLeaf(entries[1])], roots[2])).toBe(false);
  });

  it('rejects every consistency proof with a flipped, missing or extra hash, or the wrong roots or sizes', async () => {
    for (let n = 2; n <= 32; n++) {
      for (let m = 1; m < n; m++) {
        const p = await log.consistencyProof(m, n);
        for (let j = 0; j < p.length; j++) {
          const bad = [...p];
          bad[j] = flipBit(p[j]);
          expect(verifyConsistency(m, n, roots[m], roots[n], bad)).toBe(false);
        }
        expect(verifyConsistency(m, n, roots[m], roots[n], p.slice(0, -1))).toBe(false);
        expect(verifyConsistency(m, n, roots[m], roots[n], [...p, roots[1]])).toBe(false);
        expect(verifyConsistency(m, n, flipBit(roots[m]), roots[n], p)).toBe(false);
        expect(verifyConsistency(m, n, roots[m], flipBit(roots[n]), p)).toBe(false);
        if (m + 1 < n) expect(verifyConsistency(m + 1, n, roots[m + 1], roots[n], p)).toBe(false);
      }
    }
    expect(verifyConsistency(5, 5, roots[5], roots[5], [])).toBe(true);
    expect(verifyConsistency(5, 5, roots[5], roots[6], [])).toBe(false);
    expect(verifyConsistency(5, 5, roots[5], roots[5], [roots[1]])).toBe(false);
    expect(verifyConsistency(6, 5, roots[6], roots[5], [])).toBe(false);
    expect(verifyConsistency(0, 5, EMPTY_TREE_ROOT, roots[5], [])).toBe(true);
  });
});

describe('MerkleLog at scale and on bad input', () => {
  /** Counts store reads, to hold proofs to about 2·log2(n) lookups. */
  class CountingStore extends InMemoryHashStore {
    reads = 0;
    calls = 0;
    override async get(nodes: readonly NodeId[]): Promise<Buffer[]> {
      this.reads += nodes.length;
      this.calls += 1;
      return super.get(nodes);
    }
  }

  it('answers a proof at 40,000 leaves with one store call of at most 2·log2(n) nodes', async () => {
    const store = new CountingStore();
    const log = await MerkleLog.open(store, 0);
    const n = 40_000;
    for (let start = 0; start < n; start += 10_000) {
      await log.append(Array.from({ length: 10_000 }, (_, i) => hashLeaf(Buffer.from(String(start + i)))));
    }
    const root = log.rootHash();
    for (const m of [0, 1, 32_767, 32_768, 39_998, 39_999]) {
      store.reads = store.calls = 0;
      const p = await log.inclusionProof(m);
      expect(store.calls).toBe(1);
      expect(store.reads).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(n)));
      expect(verifyInclusion(m, n, hashLeaf(Buffer.from(String(m))), p, root)).toBe(true);
    }
    store.reads = store.calls = 0;
    const c = await log.consistencyProof(30_001);
    expect(store.calls).toBe(1);
    expect(verifyConsistency(30_001, n, await log.rootAt(30_001), root, c)).toBe(true);
  });

  it('matches CompactRange (the store-free edge) after reopening at any size', async () => {
    const store = new InMemoryHashStore();
    const log = await MerkleLog.open(store, 0);
    const range = CompactRange.empty();
    for (let i = 0; i < 100; i++) {
      const leaf = hashLeaf(Buffer.from([i]));
      range.append(leaf);
      await log.append([leaf]);
    }
    expect((await MerkleLog.open(store, 37)).rootHash()).toEqual(await log.rootAt(37));
    expect(log.rootHash()).toEqual(range.root());
  });

  it('refuses proofs for sizes and indices outside the tree', async () => {
    const log = await logOf([Buffer.from('a'), Buffer.from('b'), Buffer.from('c')]);
    await expect(log.inclusionProof(3, 3)).rejects.toThrow(ProofRequestError);
    await expect(log.inclusionProof(0, 4)).rejects.toThrow(/tree size 4/);
    await expect(log.inclusionProof(0, 0)).rejects.toThrow(ProofRequestError);
    await expect(log.inclusionProof(1.5, 3)).rejects.toThrow(/leaf index 1.5/);
    await expect(log.consistencyProof(3, 2)).rejects.toThrow(ProofRequestError);
    await expect(log.rootAt(-1)).rejects.toThrow(ProofRequestError);
    await expect(log.leafHashes(2, 1)).rejects.toThrow(ProofRequestError);
    await expect(MerkleLog.open(new InMemoryHashStore(), -2)).rejects.toThrow(ProofRequestError);
  });

  it('refuses leaf hashes that are not 32-byte Buffers, and leaves the log unchanged', async () => {
    const log = await logOf([Buffer.from('a')]);
    const before = log.rootHash();
    await expect(log.append([hashLeaf(Buffer.from('b')), Buffer.alloc(20)])).rejects.toThrow(LeafHashError);
    await expect(log.append(['x' as unknown as Buffer])).rejects.toThrow(/leaf hash #0/);
    expect(log.size).toBe(1);
    expect(log.rootHash()).toEqual(before);
  });

  it('opening at a size the store does not hold names the missing node', async () => {
    const store = new InMemoryHashStore();
    await logOf([Buffer.from('a'), Buffer.from('b')], store);
    await expect(MerkleLog.open(store, 3)).rejects.toThrow(MissingNodeError);
    await expect(MerkleLog.open(store, 3)).rejects.toThrow(/level 0, index 2/);
  });

  it('keeps the tree unchanged when the store refuses a write', async () => {
    const store = new InMemoryHashStore();
    const log = await logOf([Buffer.from('a')], store);
    await store.put([{ level: 0, index: 1, hash: hashLeaf(Buffer.from('planted')) }]);
    await expect(log.append([hashLeaf(Buffer.from('b'))])).rejects.toThrow(NodeConflictError);
    expect(log.size).toBe(1);
    await expect(store.put([{ level: 0, index: 5, hash: hashLeaf(Buffer.from('gap')) }])).rejects.toThrow(/arrives before/);
  });

  it('serialises concurrent appends on one instance', async () => {
    const log = await MerkleLog.open(new InMemoryHashStore(), 0);
    const entries = Array.from({ length: 40 }, (_, i) => Buffer.from(`c${i}`));
    await Promise.all(Array.from({ length: 8 }, (_, b) => log.append(entries.slice(b * 5, b * 5 + 5).map(hashLeaf))));
    expect(log.rootHash()).toEqual(mth(entries));
  });
});
