import { randomBytes } from 'node:crypto';
import { GridAxis, renderCells } from './cell-grid';
import { createFrameMarker, MAX_MARKING_THREADS } from './frame-marking-pool';
import { DEFAULT_MARK_STRENGTH, LumaMarker } from './luma-marker';
import { PayloadCodec } from './payload-codec';
import { TileLayout } from './tile-layout';
import { WatermarkKey } from './watermark-key';

describe('frame marking (threads)', () => {
  const [width, height] = [320, 180];
  const key = WatermarkKey.fromHex('7e'.repeat(32));
  const cells = new TileLayout(key).cellValues(new PayloadCodec(key).encode(Buffer.from('0011223344556677', 'hex')));
  const pattern = renderCells(cells, new GridAxis(width, height / 64), new GridAxis(height, height / 64));
  const frameBytes = width * height * 1.5;
  const frames = Array.from({ length: 12 }, () => randomBytes(frameBytes));
  const expected = frames.map((f) => {
    const copy = Buffer.from(f);
    new LumaMarker(width, height, pattern, DEFAULT_MARK_STRENGTH).mark(copy.subarray(0, width * height));
    return copy;
  });
  const own = (f: Buffer) => {
    const b = Buffer.allocUnsafeSlow(f.length);
    f.copy(b);
    return b;
  };

  it.each([0, 1, 3])('marks every frame byte-identically to a single LumaMarker, in order, with %i worker threads', async (threads) => {
    const marker = createFrameMarker(threads, width, height, pattern, DEFAULT_MARK_STRENGTH);
    try {
      const marked = await Promise.all(frames.map((f) => marker.mark(own(f))));
      marked.forEach((m, i) => expect(m.equals(expected[i])).toBe(true));
      expect(marker.markingMs).toBeGreaterThan(0);
    } finally {
      await marker.close();
    }
  });

  it('copies a frame that shares its memory rather than transferring the neighbours away', async () => {
    const marker = createFrameMarker(2, width, height, pattern, DEFAULT_MARK_STRENGTH);
    try {
      const block = Buffer.concat([frames[0], frames[1]]);
      const marked = await marker.mark(block.subarray(frameBytes));
      expect(marked.equals(expected[1])).toBe(true);
      expect(block.subarray(0, frameBytes).equals(frames[0])).toBe(true);
    } finally {
      await marker.close();
    }
  });

  it('rejects frames handed in after close, and thread counts out of range', async () => {
    const marker = createFrameMarker(1, width, height, pattern, DEFAULT_MARK_STRENGTH);
    await marker.close();
    await expect(marker.mark(own(frames[0]))).rejects.toThrow(/closed/);
    for (const bad of [-1, 1.5, MAX_MARKING_THREADS + 1]) expect(() => createFrameMarker(bad, width, height, pattern, DEFAULT_MARK_STRENGTH)).toThrow(RangeError);
  });
});
