import { randomBytes } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncBlob, installFileReaderSyncShim } from './sync-blob';

describe('SyncBlob', () => {
  let dir: string;
  let content: Buffer;
  let fd: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sync-blob-'));
    content = randomBytes(9 * 1024 * 1024 + 123);
    await writeFile(join(dir, 'data.bin'), content);
    fd = openSync(join(dir, 'data.bin'), 'r');
  });

  afterAll(async () => {
    closeSync(fd);
    await rm(dir, { recursive: true, force: true });
  });

  it('serves small sequential and random reads through the read-ahead window, and large reads directly', () => {
    const blob = SyncBlob.fromFile(fd, content.length);
    const ranges: Array<[number, number]> = [];
    for (let at = 0; at < content.length; at += 8192) ranges.push([at, Math.min(at + 8192, content.length)]);
    for (let i = 0; i < 200; i++) {
      const start = Math.floor(Math.random() * content.length);
      ranges.push([start, Math.min(content.length, start + Math.floor(Math.random() * 3 * 1024 * 1024))]);
    }
    for (const [start, end] of ranges) {
      const read = Buffer.from(blob.slice(start, end).readAll());
      expect(read.equals(content.subarray(start, end))).toBe(true);
    }
  });

  it('follows Blob.slice semantics: negative positions from the end, clamped, nested', () => {
    const blob = SyncBlob.fromBytes(Buffer.from('0123456789'));
    const text = (b: SyncBlob) => Buffer.from(b.readAll()).toString();
    expect(text(blob.slice(-3))).toBe('789');
    expect(text(blob.slice(2, -2))).toBe('234567');
    expect(text(blob.slice(8, 100))).toBe('89');
    expect(text(blob.slice(6, 3))).toBe('');
    expect(text(blob.slice(2, 8).slice(1, 3))).toBe('34');
    expect(blob.slice(-100).size).toBe(10);
  });

  it('is what the FileReaderSync shim reads, and nothing else', () => {
    installFileReaderSyncShim();
    const reader = new (globalThis as unknown as { FileReaderSync: new () => { readAsArrayBuffer(b: unknown): ArrayBuffer } }).FileReaderSync();
    expect(Buffer.from(reader.readAsArrayBuffer(SyncBlob.fromBytes(Buffer.from('abc')))).toString()).toBe('abc');
    expect(() => reader.readAsArrayBuffer(new Blob(['abc']))).toThrow('FileReaderSync shim reads SyncBlob only');
  });
});
