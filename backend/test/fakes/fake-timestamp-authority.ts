import {
  Attribute,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_contentType,
  id_messageDigest,
  id_signedData,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Accuracy, PKIStatus, PKIStatusInfo, TSTInfo, TimeStampReq, TimeStampResp, id_ct_tstInfo } from '@peculiar/asn1-tsp';
import { AlgorithmIdentifier, Certificate } from '@peculiar/asn1-x509';
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import { IssuedCertificate, issueEndEntityCertificate } from '../../src/engines/c2pa/development-pki';
import { FakeHttpServer } from './fake-http-server';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const ID_SIGNING_CERTIFICATE_V2 = '1.2.840.113549.1.9.16.2.47';
const TEST_POLICY = '1.3.6.1.4.1.55555.1.1';

export interface FakeTimestampAuthorityOptions {
  /** The CA that issues the TSA's certificate; verifiers must trust it. */
  issuer: IssuedCertificate;
}

/**
 * A real RFC 3161 time-stamp authority on loopback: it parses each
 * TimeStampReq, signs a TSTInfo (CMS SignedData, ECDSA P-256, signed
 * attributes with ESS signingCertificateV2) and answers a TimeStampResp.
 * `refuse()` makes it answer with status "rejection", like a TSA that is
 * over quota.
 */
export class FakeTimestampAuthority {
  /** Every TimeStampResp sent, DER, in order. */
  readonly replies: Buffer[] = [];
  private refusing = false;
  private granted = 0;

  private constructor(
    private readonly server: FakeHttpServer,
    private readonly tsa: IssuedCertificate,
  ) {}

  static async start(options: FakeTimestampAuthorityOptions): Promise<FakeTimestampAuthority> {
    const tsa = await issueEndEntityCertificate(options.issuer, 'Provenant Fake TSA', 'timestamping');
    const server = await FakeHttpServer.start();
    const authority = new FakeTimestampAuthority(server, tsa);
    server.route('POST', '/tsa', (_req, body) => {
      const reply = authority.answer(body);
      authority.replies.push(reply);
      return { buffer: reply, headers: { 'content-type': 'application/timestamp-reply' } };
    });
    return authority;
  }

  get url(): string {
    return `${this.server.url}/tsa`;
  }

  /** Tokens handed out so far. */
  get tokensGranted(): number {
    return this.granted;
  }

  refuse(): void {
    this.refusing = true;
  }

  close(): Promise<void> {
    return this.server.close();
  }

  private answer(body: Buffer): Buffer {
    if (this.refusing) {
      return serialize(new TimeStampResp({ status: new PKIStatusInfo({ status: PKIStatus.rejection }) }));
    }
    const request = AsnConvert.parse(body, TimeStampReq);
    const info = new TSTInfo({
      version: 1,
      policy: TEST_POLICY,
      messageImprint: request.messageImprint,
      serialNumber: positiveInteger(randomBytes(16)),
      genTime: new Date(),
      accuracy: new Accuracy({ seconds: 1 }),
      nonce: request.nonce,
    });
    const content = serialize(info);
    const certificate = AsnConvert.parse(this.tsa.certificate.rawData, Certificate);

    // DER sorts SET OF members by encoding; verifiers re-encode, so sign and send them sorted.
    const attributes = [
      attribute(id_contentType, derObjectIdentifier(id_ct_tstInfo)),
      attribute(id_messageDigest, serialize(new OctetString(sha256(content)))),
      attribute(ID_SIGNING_CERTIFICATE_V2, signingCertificateV2(Buffer.from(this.tsa.certificate.rawData))),
    ].sort((a, b) => Buffer.compare(serialize(a), serialize(b)));
    const toBeSigned = der(0x31, Buffer.concat(attributes.map(serialize)));
    const signature = sign('sha256', toBeSigned, createPrivateKey(this.tsa.privateKeyPem));

    const signerInfo = new SignerInfo({
      version: 1,
      sid: new SignerIdentifier({
        issuerAndSerialNumber: new IssuerAndSerialNumber({
          issuer: certificate.tbsCertificate.issuer,
          serialNumber: certificate.tbsCertificate.serialNumber,
        }),
      }),
      digestAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256 }),
      signedAttrs: attributes,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
      signature: new OctetString(signature),
    });
    const signedData = new SignedData({
      version: 3,
      digestAlgorithms: new DigestAlgorithmIdentifiers([new AlgorithmIdentifier({ algorithm: SHA256 })]),
      encapContentInfo: new EncapsulatedContentInfo({
        eContentType: id_ct_tstInfo,
        eContent: new EncapsulatedContent({ single: new OctetString(content) }),
      }),
      certificates: request.certReq ? new CertificateSet([new CertificateChoices({ certificate })]) : undefined,
      signerInfos: new SignerInfos([signerInfo]),
    });
    const token = new ContentInfo({ contentType: id_signedData, content: toArrayBuffer(serialize(signedData)) });
    this.granted++;
    return serialize(new TimeStampResp({ status: new PKIStatusInfo({ status: PKIStatus.granted }), timeStampToken: token }));
  }
}

function attribute(type: string, value: Buffer): Attribute {
  return new Attribute({ attrType: type, attrValues: [toArrayBuffer(value)] });
}

/** ESS SigningCertificateV2 naming the TSA certificate by its SHA-256 (the default hash, so omitted). */
function signingCertificateV2(certificateDer: Buffer): Buffer {
  const essCertIdV2 = der(0x30, der(0x04, sha256(certificateDer)));
  return der(0x30, der(0x30, essCertIdV2));
}

function derObjectIdentifier(oid: string): Buffer {
  const arcs = oid.split('.').map(Number);
  const body: number[] = [40 * arcs[0] + arcs[1]];
  for (const arc of arcs.slice(2)) {
    const septets: number[] = [];
    let rest = arc;
    do {
      septets.unshift(rest & 0x7f);
      rest = Math.floor(rest / 128);
    } while (rest > 0);
    body.push(...septets.map((s, i) => (i < septets.length - 1 ? s | 0x80 : s)));
  }
  return der(0x06, Buffer.from(body));
}

function der(tag: number, body: Buffer): Buffer {
  if (body.length < 0x80) return Buffer.concat([Buffer.from([tag, body.length]), body]);
  const hex = body.length.toString(16);
  const lengthBytes = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  return Buffer.concat([Buffer.from([tag, 0x80 | lengthBytes.length]), lengthBytes, body]);
}

function sha256(data: Buffer): Buffer {
  return createHash('sha256').update(data).digest();
}

function serialize(value: object): Buffer {
  return Buffer.from(AsnConvert.serialize(value));
}

function positiveInteger(bytes: Buffer): ArrayBuffer {
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return toArrayBuffer(bytes);
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
