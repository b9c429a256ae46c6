import { randomBytes } from 'node:crypto';
import { convolutionalEncode, listViterbiDecode } from './convolutional-code';
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

  it('the list decoder recovers payloads a single best guess misses, and never a wrong one', () => {
    const noise = gaussian(2024);
    let bestGuess = 0;
    let listed = 0;
    for (let trial = 0; trial < 80; trial++) {
      const payload = Buffer.alloc(8);
      payload.writeUInt32BE(trial * 2654435761 >>> 0, 0);
      const codeword = codec.encode(payload);
      // Amplitude 0.8 per coded bit: about 21% raw bit errors, where a single best guess often fails.
      const soft = Float64Array.from(codeword, (b) => (b ? 0.8 : -0.8) + noise());
      const first = Buffer.from(listViterbiDecode(soft, INFO_BITS, 1)[0].reduce((bytes, bit, i) => ((bytes[i >> 3] |= bit << (7 - (i & 7))), bytes), new Uint8Array(INFO_BITS / 8)));
      if (first.subarray(0, 8).equals(payload)) bestGuess++;
      const decoded = codec.decode(soft);
      if (decoded) {
        expect(decoded.payload.equals(payload)).toBe(true);
        listed++;
      }
    }
    expect(listed).toBeGreaterThan(bestGuess + 12);
  });

  it('the list holds distinct words, best first', () => {
    const soft = Float64Array.from({ length: CODED_BITS }, gaussian(5));
    const words = listViterbiDecode(soft, INFO_BITS, 8).map((w) => Buffer.from(w).toString('hex'));
    expect(new Set(words).size).toBe(8);
    const score = (hex: string) => {
      const coded = convolutionalEncode(Uint8Array.from(Buffer.from(hex, 'hex')));
      return soft.reduce((s, v, i) => s + (coded[i] ? v : -v), 0);
    };
    const scores = words.map(score);
    for (let i = 1; i < scores.length; i++) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1] + 1e-9);
  });

  it('refuses a payload decoded under another key (the tag is keyed)', () => {
    const payload = randomBytes(8);
    const soft = Float64Array.from(codec.encode(payload), (b) => (b ? 1 : -1));
    expect(new PayloadCodec(WatermarkKey.fromHex('5a'.repeat(32))).decode(soft)).toBeNull();
  });

  it('never accepts pure noise, nor the all-zero reading', () => {
    const noise = gaussian(99);
    for (let trial = 0; trial < 60; trial++) expect(codec.decode(Float64Array.from({ length: CODED_BITS }, noise))).toBeNull();
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
    expect(Array.from(listViterbiDecode(Float64Array.from(coded, (b) => (b ? 1 : -1)), INFO_BITS, 1)[0])).toEqual(Array.from(bits));
  });

  it('corrects scattered hard errors', () => {
    const bits = Uint8Array.from(randomBytes(INFO_BITS), (b) => b & 1);
    const soft = Float64Array.from(convolutionalEncode(bits), (b) => (b ? 1 : -1));
    for (let i = 5; i < soft.length; i += 17) soft[i] = -soft[i];
    expect(Array.from(listViterbiDecode(soft, INFO_BITS, 1)[0])).toEqual(Array.from(bits));
  });
});
