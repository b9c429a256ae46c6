import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeAtomically } from './atomic-output';

describe('writeAtomically', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'atomic-output-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('moves the finished temp file into place and returns the writer result', async () => {
    const out = join(dir, 'clip.mp4');
    const result = await writeAtomically(out, async (temp) => {
      expect(temp).not.toBe(out);
      await writeFile(temp, 'done');
      expect(await readdir(dir)).not.toContain('clip.mp4');
      return 42;
    });
    expect(result).toBe(42);
    expect(await readFile(out, 'utf8')).toBe('done');
    expect(await readdir(dir)).toEqual(['clip.mp4']);
  });

  it('removes the temp file and leaves the output path untouched when writing fails', async () => {
    const out = join(dir, 'clip.mp4');
    await writeFile(out, 'previous');
    await expect(
      writeAtomically(out, async (temp) => {
        await writeFile(temp, 'half');
        throw new Error('killed halfway');
      }),
    ).rejects.toThrow('killed halfway');
    expect(await readdir(dir)).toEqual(['clip.mp4']);
    expect(await readFile(out, 'utf8')).toBe('previous');
  });
});
