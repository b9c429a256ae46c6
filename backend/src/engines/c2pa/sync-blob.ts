import { readSync } from 'node:fs';

/**
 * The part of the DOM `Blob` that c2pa-wasm touches (`size`, `slice`), read
 * synchronously through the `FileReaderSync` shim below. Backed by an open
 * file it streams: c2pa-rs pulls the slices it needs and the file never sits
 * in memory whole.
 */
export class SyncBlob {
  private constructor(
    private readonly source: { fd: number } | { bytes: Uint8Array },
    private readonly start: number,
    private readonly end: number,
  ) {}

  static fromFile(fd: number, size: number): SyncBlob {
    return new SyncBlob({ fd }, 0, size);
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
    if ('bytes' in this.source) {
      return this.source.bytes.slice(this.start, this.end).buffer as ArrayBuffer;
    }
    const out = new Uint8Array(this.size);
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.source.fd, out, done, out.length - done, this.start + done);
      if (n === 0) throw new Error(`file ended at byte ${this.start + done}, expected ${this.end}`);
      done += n;
    }
    return out.buffer;
  }
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
