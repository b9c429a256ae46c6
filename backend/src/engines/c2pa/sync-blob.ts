import { readSync } from 'node:fs';

// c2pa-rs asks for 8 KiB at a time while signing; one read(2) per request costs more than the hashing.
const READ_AHEAD_BYTES = 4 * 1024 * 1024;

interface FileSource {
  fd: number;
  size: number;
  /** Read-ahead window shared by every slice of the file. */
  window: { start: number; bytes: Buffer } | null;
}

/**
 * The part of the DOM `Blob` that c2pa-wasm touches (`size`, `slice`), read
 * synchronously through the `FileReaderSync` shim below. Backed by an open
 * file it streams: c2pa-rs pulls the slices it needs and the file never sits
 * in memory whole.
 */
export class SyncBlob {
  private constructor(
    private readonly source: FileSource | { bytes: Uint8Array },
    private readonly start: number,
    private readonly end: number,
  ) {}

  static fromFile(fd: number, size: number): SyncBlob {
    return new SyncBlob({ fd, size, window: null }, 0, size);
  }

  static fromBytes(bytes: Uint8Array): SyncBlob {
    return new SyncBlob({ bytes }, 0, bytes.length);
  }

  get size(): number {
    return this.end - this.start;
  }

  /** Blob.slice semantics: negative positions count from the end, results are clamped. */
  slice(start = 0, end = this.size): SyncBlob {
    const clamp = (n: number) => Math.min(Math.max(n < 0 ? this.size + n : n, 0), this.size);
    const from = clamp(start);
    const to = Math.max(from, clamp(end));
    return new SyncBlob(this.source, this.start + from, this.start + to);
  }

  readAll(): ArrayBuffer {
    const source = this.source;
    if ('bytes' in source) {
      const { buffer, byteOffset } = source.bytes;
      return ownArrayBuffer(Buffer.from(buffer, byteOffset + this.start, this.size));
    }
    if (this.size * 4 > READ_AHEAD_BYTES) return ownArrayBuffer(readRange(source.fd, this.start, this.size));
    const cached = source.window;
    if (!cached || this.start < cached.start || this.end > cached.start + cached.bytes.length) {
      const length = Math.max(this.size, Math.min(READ_AHEAD_BYTES, source.size - this.start));
      source.window = { start: this.start, bytes: readRange(source.fd, this.start, length) };
    }
    const window = source.window!;
    return ownArrayBuffer(window.bytes.subarray(this.start - window.start, this.end - window.start));
  }
}

/** An ArrayBuffer holding exactly these bytes (a Buffer may be a view into a larger shared pool). */
function ownArrayBuffer(bytes: Buffer): ArrayBuffer {
  const { buffer, byteOffset, byteLength } = bytes;
  return byteOffset === 0 && byteLength === buffer.byteLength
    ? (buffer as ArrayBuffer)
    : (buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
}

function readRange(fd: number, position: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, out, done, length - done, position + done);
    if (n === 0) throw new Error(`file ended at byte ${position + done}, expected ${position + length}`);
    done += n;
  }
  return out;
}

/** c2pa-wasm reads Blobs with the browser-only FileReaderSync; Node has none. */
export function installFileReaderSyncShim(): void {
  (globalThis as Record<string, unknown>).FileReaderSync = class FileReaderSync {
    readAsArrayBuffer(blob: unknown): ArrayBuffer {
      if (!(blob instanceof SyncBlob)) throw new TypeError('FileReaderSync shim reads SyncBlob only');
      return blob.readAll();
    }
  };
}
