import { Encoder, Tag } from 'cbor-x';
import { SigningFailedError } from './c2pa-errors';
import type { C2paSigner, C2paSigningAlg } from './c2pa-signer';
import type { TimestampAuthority } from './timestamp-authority';

const COSE_SIGN1_TAG = 18;
const HEADER_ALG = 1;
const HEADER_X5CHAIN = 33;
const COSE_ALG_IDS: Record<C2paSigningAlg, number> = { es256: -7, es384: -35, es512: -36 };
const RAW_SIGNATURE_BYTES: Record<C2paSigningAlg, number> = { es256: 64, es384: 96, es512: 132 };
// Same allowances c2pa-rs makes for COSE/JUMBF framing and for an RFC 3161 token.
const COSE_OVERHEAD_BYTES = 1024;
const TIME_STAMP_RESERVE_BYTES = 10_000;

// Plain byte strings (no typed-array tags) and exact-size maps, as COSE expects.
const cbor = new Encoder({ useRecords: false, tagUint8Array: false, variableMapSize: true, mapsAsObjects: false });
const EMPTY = new Uint8Array(0);

/** Bytes c2pa-rs must reserve in the file for the signature box of this signer. */
export function coseReserveSize(signer: C2paSigner, withTimestamp: boolean): number {
  const chainBytes = signer.certificateChain.reduce((sum, cert) => sum + cert.length, 0);
  return RAW_SIGNATURE_BYTES[signer.alg] + chainBytes + COSE_OVERHEAD_BYTES + (withTimestamp ? TIME_STAMP_RESERVE_BYTES : 0);
}

export interface CoseSignRequest {
  /** The claim bytes c2pa-rs hands to the sign callback (the detached payload). */
  claim: Uint8Array;
  signer: C2paSigner;
  /** The answer must be exactly this long; c2pa-rs reserved that many bytes. */
  reserveSize: number;
  /** When given, the signature is time-stamped into `sigTst2` so it outlives the certificate. */
  timestampAuthority?: TimestampAuthority;
}

/**
 * Builds the tagged COSE_Sign1 of a C2PA claim: algorithm and x5chain in the
 * protected header, detached payload, signature over Sig_structure, optional
 * RFC 3161 token (C2PA v2 `sigTst2`: it time-stamps the signature), and zero
 * padding up to the reserved size.
 */
export async function signClaimAsCoseSign1(request: CoseSignRequest): Promise<Uint8Array> {
  const { signer } = request;
  const chain = signer.certificateChain.map(toBuffer);
  if (chain.length === 0) throw new SigningFailedError('signer has an empty certificate chain');
  const protectedBytes = cbor.encode(
    new Map<number, unknown>([
      [HEADER_ALG, COSE_ALG_IDS[signer.alg]],
      // RFC 9360: one certificate is a bare byte string, several an array.
      [HEADER_X5CHAIN, chain.length === 1 ? chain[0] : chain],
    ]),
  );
  const toBeSigned = cbor.encode(['Signature1', protectedBytes, EMPTY, toBuffer(request.claim)]);
  const signature = toBuffer(await signer.sign(toBeSigned));
  if (signature.length !== RAW_SIGNATURE_BYTES[signer.alg]) {
    throw new SigningFailedError(
      `signer returned ${signature.length} signature bytes; ${signer.alg} needs ${RAW_SIGNATURE_BYTES[signer.alg]} (raw r‖s, not DER)`,
    );
  }

  const unprotected = new Map<string, unknown>();
  if (request.timestampAuthority) {
    const countersigned = cbor.encode(['CounterSignature', protectedBytes, EMPTY, cbor.encode(signature)]);
    const token = await request.timestampAuthority.timestamp(countersigned);
    unprotected.set('sigTst2', new Map([['tstTokens', [new Map([['val', toBuffer(token)]])]]]));
  }

  const encode = (pads: Map<string, number>): Buffer => {
    const header = new Map(unprotected);
    for (const [label, length] of pads) header.set(label, Buffer.alloc(length));
    return cbor.encode(new Tag([protectedBytes, header, null, signature], COSE_SIGN1_TAG));
  };
  const unpadded = encode(new Map());
  const pads = paddingFor(request.reserveSize - unpadded.length);
  const result = encode(pads);
  if (result.length !== request.reserveSize) {
    throw new SigningFailedError(`COSE_Sign1 is ${result.length} bytes, not the ${request.reserveSize} reserved`);
  }
  return result;
}

/**
 * Chooses zero-filled `pad` (and, when one cannot hit the size, `pad2`)
 * header entries that add exactly `extra` bytes to the encoding.
 */
export function paddingFor(extra: number): Map<string, number> {
  if (extra < 0) throw new SigningFailedError(`COSE_Sign1 is ${-extra} bytes larger than the space reserved for it`);
  if (extra === 0) return new Map();
  const single = padLength(extra, 'pad');
  if (single !== null) return new Map([['pad', single]]);
  // Some sizes fall between two byte-string header widths; an empty pad2 shifts the target.
  const pad2Bytes = entryBytes('pad2', 0);
  const rest = padLength(extra - pad2Bytes, 'pad');
  if (rest === null) {
    throw new SigningFailedError(`cannot pad COSE_Sign1 by exactly ${extra} bytes`);
  }
  return new Map([
    ['pad', rest],
    ['pad2', 0],
  ]);
}

function padLength(extra: number, label: string): number | null {
  for (const headerBytes of [1, 2, 3, 5]) {
    const length = extra - (1 + label.length) - headerBytes;
    if (length >= 0 && byteStringHeaderBytes(length) === headerBytes) return length;
  }
  return null;
}

function entryBytes(label: string, length: number): number {
  return 1 + label.length + byteStringHeaderBytes(length) + length;
}

function byteStringHeaderBytes(length: number): number {
  if (length < 24) return 1;
  if (length < 0x100) return 2;
  if (length < 0x10000) return 3;
  return 5;
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
