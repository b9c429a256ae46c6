import { randomBytes } from 'node:crypto';
import { convolutionalEncode, viterbiDecode } from './convolutional-code';
import { CODED_BITS, INFO_BITS, PayloadCodec, parsePayloadHex } from './payload-codec';
import { WatermarkInputError } from './watermark-errors';
import { WatermarkKey } from './watermark-key';

/** Deterministic Gaussian noise (Box–Muller over a xorshift generator). */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

describe('PayloadCodec', () => {
  const key = WatermarkKey.fromHex('a5'.repeat(32));
  const codec = new PayloadCodec(key);

  it('round-trips a payload through noisy soft bits and reports the coded bit accuracy', () => {
    const payload = Buffer.from('0011223344556677', 'hex');
    const codeword = codec.encode(payload);
    expect(codeword.length).toBe(CODED_BITS);
    const noise = gaussian(7);
    // Per coded bit SNR of 1 (amplitude): about 16% raw bit errors.
    const soft = Float64Array.from(codeword, (b) => (b ? 1 : -1) + noise());
    const errors = soft.reduce((n, v, i) => n + (v > 0 !== (codeword[i] === 1) ? 1 : 0), 0);
    expect(errors).toBeGreaterThan(CODED_BITS * 0.08);
    const decoded = codec.decode(soft);
    expect(decoded?.payload.toString('hex')).toBe('0011223344556677');
    expect(decoded!.bitAccuracy).toBeCloseTo(1 - errors / CODED_BITS, 10);
  });

  it('refuses a payload decoded under another key (the tag is keyed)', () => {
    const payload = randomBytes(8);
    const soft = Float64Array.from(codec.encode(payload), (b) => (b ? 1 : -1));
    expect(new PayloadCodec(WatermarkKey.fromHex('5a'.repeat(32))).decode(soft)).toBeNull();
  });

  it('never accepts pure noise, nor the all-zero reading', () => {
    const noise = gaussian(99);
    for (let trial = 0; trial < 300; trial++) expect(codec.decode(Float64Array.from({ length: CODED_BITS }, noise))).toBeNull();
    expect(codec.decode(new Float64Array(CODED_BITS))).toBeNull();
  });

  it('rejects payloads of the wrong length with a typed error', () => {
    expect(() => codec.encode(Buffer.alloc(7))).toThrow(WatermarkInputError);
    expect(() => parsePayloadHex('0011')).toThrow(/exactly 16 hex digits/);
    expect(() => parsePayloadHex('zz11223344556677')).toThrow(WatermarkInputError);
    expect(parsePayloadHex(' 0011223344556677 ').toString('hex')).toBe('0011223344556677');
  });
});

describe('convolutional code', () => {
  it('decodes the exact information bits from a clean codeword', () => {
    const bits = Uint8Array.from({ length: INFO_BITS }, (_, i) => (i * 7 + 3) % 5 > 1 ? 1 : 0);
    const coded = convolutionalEncode(bits);
    expect(Array.from(viterbiDecode(Float64Array.from(coded, (b) => (b ? 1 : -1)), INFO_BITS))).toEqual(Array.from(bits));
  });

  it('corrects scattered hard errors', () => {
    const bits = Uint8Array.from(randomBytes(INFO_BITS), (b) => b & 1);
    const soft = Float64Array.from(convolutionalEncode(bits), (b) => (b ? 1 : -1));
    for (let i = 5; i < soft.length; i += 17) soft[i] = -soft[i];
    expect(Array.from(viterbiDecode(soft, INFO_BITS))).toEqual(Array.from(bits));
  });
});
