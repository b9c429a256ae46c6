import { codedLength, convolutionalEncode, listViterbiDecode } from './convolutional-code';
import { WatermarkInputError } from './watermark-errors';
import type { WatermarkKey } from './watermark-key';

export const PAYLOAD_BYTES = 8;
/**
 * Check bits: a keyed tag, HMAC-SHA256(key, payload) cut to 40 bits. On an
 * unmarked clip the decoder's output is unrelated to the HMAC, so each
 * candidate word passes with probability 2^-40.
 */
export const TAG_BITS = 40;
/**
 * Candidate words the list decoder checks against the tag per clip: the
 * false-positive bound is DECODE_CANDIDATES × 2^-TAG_BITS.
 */
export const DECODE_CANDIDATES = 256;
export const INFO_BITS = PAYLOAD_BYTES * 8 + TAG_BITS;
export const CODED_BITS = codedLength(INFO_BITS);

export interface DecodedPayload {
  payload: Buffer;
  /** Fraction of coded bits whose hard decision agrees with the re-encoded codeword. */
  bitAccuracy: number;
}

export function assertPayload(payload: unknown): asserts payload is Buffer {
  if (!Buffer.isBuffer(payload) || payload.length !== PAYLOAD_BYTES) {
    const got = Buffer.isBuffer(payload) ? `${payload.length} bytes` : typeof payload;
    throw new WatermarkInputError('BAD_PAYLOAD', `the watermark payload must be exactly ${PAYLOAD_BYTES} bytes (${PAYLOAD_BYTES * 2} hex digits), got ${got}`);
  }
}

export function parsePayloadHex(hex: string): Buffer {
  const text = hex.trim();
  if (!/^[0-9a-fA-F]*$/.test(text) || text.length !== PAYLOAD_BYTES * 2) {
    throw new WatermarkInputError('BAD_PAYLOAD', `the watermark payload must be exactly ${PAYLOAD_BYTES * 2} hex digits (${PAYLOAD_BYTES} bytes), got "${hex}"`);
  }
  return Buffer.from(text, 'hex');
}

/** Payload + keyed tag, protected by the convolutional code. */
export class PayloadCodec {
  constructor(private readonly key: WatermarkKey) {}

  /** Coded bits (0/1), CODED_BITS long. */
  encode(payload: Buffer): Uint8Array {
    assertPayload(payload);
    return convolutionalEncode(bytesToBits(Buffer.concat([payload, this.tag(payload)])));
  }

  /**
   * `soft` (positive favours 1) → the most likely payload whose tag checks
   * out among the decoder's DECODE_CANDIDATES best words, else null.
   */
  decode(soft: Float32Array | Float64Array): DecodedPayload | null {
    const payload = listViterbiDecode(soft, INFO_BITS, DECODE_CANDIDATES)
      .map(bitsToBytes)
      .find((info) => info.subarray(PAYLOAD_BYTES).equals(this.tag(info.subarray(0, PAYLOAD_BYTES))))
      ?.subarray(0, PAYLOAD_BYTES);
    if (!payload) return null;
    const codeword = this.encode(Buffer.from(payload));
    let agree = 0;
    for (let i = 0; i < CODED_BITS; i++) if (soft[i] > 0 === (codeword[i] === 1)) agree++;
    return { payload: Buffer.from(payload), bitAccuracy: agree / CODED_BITS };
  }

  private tag(payload: Buffer): Buffer {
    return this.key.derive('payload-tag', payload).subarray(0, TAG_BITS / 8);
  }
}

function bytesToBits(bytes: Buffer): Uint8Array {
  const bits = new Uint8Array(bytes.length * 8);
  for (let i = 0; i < bits.length; i++) bits[i] = (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  return bits;
}

function bitsToBytes(bits: Uint8Array): Buffer {
  const bytes = Buffer.alloc(bits.length >> 3);
  for (let i = 0; i < bits.length; i++) bytes[i >> 3] |= bits[i] << (7 - (i & 7));
  return bytes;
}
