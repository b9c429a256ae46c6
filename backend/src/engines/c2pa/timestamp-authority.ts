import { SignedData } from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { MessageImprint, PKIStatus, TSTInfo, TimeStampReq, TimeStampResp } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { createHash, randomBytes } from 'node:crypto';
import { TimestampFailedError } from './c2pa-errors';

export const SHA256_OID = '2.16.840.1.101.3.4.2.1';

/** Something that time-stamps data; `Rfc3161TimestampClient` asks a TSA over HTTP. */
export interface TimestampAuthority {
  /** Returns a DER RFC 3161 TimeStampToken (a CMS ContentInfo) over SHA-256 of `data`. */
  timestamp(data: Uint8Array): Promise<Uint8Array>;
}

export interface Rfc3161TimestampClientOptions {
  timeoutMs?: number;
}

/** RFC 3161 over HTTP: POST application/timestamp-query, answer application/timestamp-reply. */
export class Rfc3161TimestampClient implements TimestampAuthority {
  private readonly timeoutMs: number;

  constructor(
    readonly url: string,
    options: Rfc3161TimestampClientOptions = {},
  ) {
    let protocol = '';
    try {
      protocol = new URL(url).protocol;
    } catch {
      // reported below
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new TimestampFailedError(`time-stamp authority URL must be http(s): ${JSON.stringify(url)}`);
    }
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  async timestamp(data: Uint8Array): Promise<Uint8Array> {
    const digest = createHash('sha256').update(data).digest();
    const nonce = randomBytes(8);
    nonce[0] &= 0x7f; // a positive INTEGER keeps its byte length in DER
    nonce[0] |= 0x01;
    const request = new TimeStampReq({
      version: 1,
      messageImprint: new MessageImprint({
        hashAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_OID }),
        hashedMessage: new OctetString(digest),
      }),
      nonce: toArrayBuffer(nonce),
      certReq: true,
    });

    let body: Buffer;
    try {
      const response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/timestamp-query', accept: 'application/timestamp-reply' },
        body: Buffer.from(AsnConvert.serialize(request)),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!response.ok) {
        const detail = (await response.text()).replace(/\s+/g, ' ').trim().slice(0, 200);
        throw new TimestampFailedError(`time-stamp authority ${this.url} answered HTTP ${response.status}${detail ? `: ${detail}` : ''}`);
      }
      body = Buffer.from(await response.arrayBuffer());
    } catch (err) {
      if (err instanceof TimestampFailedError) throw err;
      throw new TimestampFailedError(`time-stamp authority ${this.url} unreachable: ${(err as Error).message}`);
    }
    return this.checkedToken(body, digest, nonce);
  }

  /** Makes sure the token answers this request before it is embedded anywhere. */
  private checkedToken(body: Buffer, digest: Buffer, nonce: Buffer): Uint8Array {
    let response: TimeStampResp;
    let info: TSTInfo;
    try {
      response = AsnConvert.parse(body, TimeStampResp);
      if (response.status.status !== PKIStatus.granted && response.status.status !== PKIStatus.grantedWithMods) {
        const text = response.status.statusString?.join('; ') ?? '';
        throw new TimestampFailedError(
          `time-stamp authority ${this.url} refused the request (status ${response.status.status}${text ? `: ${text}` : ''})`,
        );
      }
      if (!response.timeStampToken) throw new TimestampFailedError(`time-stamp authority ${this.url} granted but sent no token`);
      const signed = AsnConvert.parse(response.timeStampToken.content, SignedData);
      const content = signed.encapContentInfo.eContent?.single;
      if (!content) throw new TimestampFailedError(`time-stamp token from ${this.url} has no TSTInfo`);
      info = AsnConvert.parse(content.buffer, TSTInfo);
    } catch (err) {
      if (err instanceof TimestampFailedError) throw err;
      throw new TimestampFailedError(`time-stamp authority ${this.url} sent an unparsable reply: ${(err as Error).message}`);
    }
    if (info.messageImprint.hashAlgorithm.algorithm !== SHA256_OID || !digest.equals(Buffer.from(info.messageImprint.hashedMessage.buffer))) {
      throw new TimestampFailedError(`time-stamp token from ${this.url} covers different data than requested`);
    }
    if (!info.nonce || unsignedHex(info.nonce) !== unsignedHex(nonce)) {
      throw new TimestampFailedError(`time-stamp token from ${this.url} does not echo the request nonce`);
    }
    return new Uint8Array(AsnConvert.serialize(response.timeStampToken));
  }
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

/** DER INTEGER bytes compared by value (leading zero bytes do not matter). */
function unsignedHex(bytes: ArrayBuffer | Uint8Array): string {
  return Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex').replace(/^(00)+/, '');
}
