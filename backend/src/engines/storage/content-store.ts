import type { Readable } from 'node:stream';

/** A file staged in the store's scratch area, not yet visible under its hash. */
export interface StagedFile {
  tempPath: string;
  sha256: string;
  bytes: number;
}

export class ContentTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`file is larger than the limit of ${limitBytes} bytes`);
  }
}

/**
 * Content-addressed storage: objects are named by their SHA-256, so no path
 * is ever built from user input and identical files are stored once.
 */
export interface ContentStore {
  /** Streams into a scratch file while hashing; aborts and deletes it past maxBytes. */
  stage(source: Readable, options?: { maxBytes?: number }): Promise<StagedFile>;
  /** Hashes an existing scratch file (e.g. written by ffmpeg) without moving it. */
  stageFile(tempPath: string): Promise<StagedFile>;
  /** A fresh scratch path for a producer (ffmpeg, a download) to write to. */
  scratchPath(): string;
  /** Moves a staged file under its hash (idempotent) and returns the object's hash. */
  commit(staged: StagedFile): Promise<string>;
  /** Deletes a scratch file; never throws if it is already gone. */
  discard(tempPath: string): Promise<void>;
  /** Local filesystem path of an object, for tools such as ffmpeg. */
  localPath(sha256: string): string;
  has(sha256: string): Promise<boolean>;
  /** Deletes an object nothing refers to (the caller checks that); never throws if it is already gone. */
  remove(sha256: string): Promise<void>;
}
