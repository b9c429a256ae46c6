import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContentTooLargeError } from './content-store';
import { LocalContentStore } from './local-content-store';

describe('LocalContentStore', () => {
  let root: string;
  let store: LocalContentStore;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'store-'));
    store = await new LocalContentStore(root).init();
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const chunks = (...parts: string[]) => Readable.from(parts.map((p) => Buffer.from(p)));

  it('stores by SHA-256 and deduplicates', async () => {
    const a = await store.commit(await store.stage(chunks('hello ', 'world')));
    const b = await store.commit(await store.stage(chunks('hello world')));
    expect(a).toBe(createHash('sha256').update('hello world').digest('hex'));
    expect(b).toBe(a);
    expect(await readFile(store.localPath(a), 'utf8')).toBe('hello world');
    expect(await readdir(join(root, 'scratch'))).toEqual([]);
  });

  it('aborts past the byte limit and leaves no scratch file', async () => {
    await expect(store.stage(chunks('12345', '67890'), { maxBytes: 7 })).rejects.toBeInstanceOf(ContentTooLargeError);
    expect(await readdir(join(root, 'scratch'))).toEqual([]);
  });

  it('never turns a non-hash into a path', () => {
    expect(() => store.localPath('../../etc/passwd')).toThrow(/not a content hash/);
    expect(() => store.localPath('A'.repeat(64))).toThrow(/not a content hash/);
  });
});
