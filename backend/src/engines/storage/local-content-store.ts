import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContentTooLargeError, type ContentStore, type StagedFile } from './content-store';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export class LocalContentStore implements ContentStore {
  private readonly objectsDir: string;
  private readonly scratchDir: string;

  constructor(root: string) {
    this.objectsDir = join(root, 'objects');
    this.scratchDir = join(root, 'scratch');
  }

  async init(): Promise<this> {
    await mkdir(this.objectsDir, { recursive: true });
    await mkdir(this.scratchDir, { recursive: true });
    return this;
  }

  scratchPath(): string {
    return join(this.scratchDir, randomUUID());
  }

  async stage(source: Readable, options: { maxBytes?: number } = {}): Promise<StagedFile> {
    const tempPath = this.scratchPath();
    const hash = createHash('sha256');
    let bytes = 0;
    const limit = options.maxBytes ?? Infinity;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limit) return done(new ContentTooLargeError(limit));
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(source, meter, createWriteStream(tempPath, { flags: 'wx' }));
    } catch (err) {
      await this.discard(tempPath);
      throw err;
    }
    return { tempPath, sha256: hash.digest('hex'), bytes };
  }

  async stageFile(tempPath: string): Promise<StagedFile> {
    const hash = createHash('sha256');
    await pipeline(createReadStream(tempPath), hash);
    const { size } = await stat(tempPath);
    return { tempPath, sha256: hash.digest('hex'), bytes: size };
  }

  async commit(staged: StagedFile): Promise<string> {
    const target = this.localPath(staged.sha256);
    await mkdir(join(target, '..'), { recursive: true });
    if (await this.has(staged.sha256)) {
      await this.discard(staged.tempPath);
    } else {
      await chmod(staged.tempPath, 0o444);
      // rename is atomic within one filesystem: readers never see a partial object.
      await rename(staged.tempPath, target);
    }
    return staged.sha256;
  }

  async discard(tempPath: string): Promise<void> {
    await rm(tempPath, { force: true });
  }

  localPath(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a content hash: ${JSON.stringify(sha256).slice(0, 80)}`);
    return join(this.objectsDir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.localPath(sha256), { force: true });
  }

  async has(sha256: string): Promise<boolean> {
    try {
      await access(this.localPath(sha256));
      return true;
    } catch {
      return false;
    }
  }
}
