import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatermarkInputError } from './watermark-errors';
import { WATERMARK_KEY_ENV, WatermarkKey } from './watermark-key';

describe('WatermarkKey', () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'wm-key-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads from a key file before the environment', async () => {
    const file = join(dir, 'key.hex');
    await writeFile(file, `${'ab'.repeat(32)}\n`);
    const key = await WatermarkKey.load({ keyFile: file, env: { [WATERMARK_KEY_ENV]: 'cd'.repeat(32) } });
    expect(key.bytes.toString('hex')).toBe('ab'.repeat(32));
    const fromEnv = await WatermarkKey.load({ env: { [WATERMARK_KEY_ENV]: 'cd'.repeat(32) } });
    expect(fromEnv.bytes.toString('hex')).toBe('cd'.repeat(32));
  });

  it('names the problem when the key is missing, unreadable or malformed', async () => {
    await expect(WatermarkKey.load({ env: {} })).rejects.toMatchObject({ code: 'MISSING_KEY', message: expect.stringContaining(WATERMARK_KEY_ENV) });
    await expect(WatermarkKey.load({ keyFile: join(dir, 'absent'), env: {} })).rejects.toMatchObject({ code: 'MISSING_KEY' });
    await expect(WatermarkKey.load({ env: { [WATERMARK_KEY_ENV]: 'ab'.repeat(16) } })).rejects.toBeInstanceOf(WatermarkInputError);
    expect(() => WatermarkKey.fromHex('xy'.repeat(32))).toThrow(/64 hex digits/);
    expect(() => WatermarkKey.fromBytes(Buffer.alloc(31))).toThrow(WatermarkInputError);
  });

  it('derives independent keyed streams per label and per key', () => {
    const a = WatermarkKey.fromHex('01'.repeat(32));
    const b = WatermarkKey.fromHex('02'.repeat(32));
    expect(a.stream('x', 64).equals(a.stream('x', 64))).toBe(true);
    expect(a.stream('x', 64).equals(a.stream('y', 64))).toBe(false);
    expect(a.stream('x', 64).equals(b.stream('x', 64))).toBe(false);
  });
});
