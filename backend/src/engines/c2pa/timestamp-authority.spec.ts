import { SignedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { TSTInfo, TimeStampToken } from '@peculiar/asn1-tsp';
import { createHash } from 'node:crypto';
import { FakeHttpServer } from '../../../test/fakes/fake-http-server';
import { FakeTimestampAuthority } from '../../../test/fakes/fake-timestamp-authority';
import { TimestampFailedError } from './c2pa-errors';
import { createCertificateAuthority } from './development-pki';
import { Rfc3161TimestampClient, SHA256_OID } from './timestamp-authority';

describe('Rfc3161TimestampClient', () => {
  let tsa: FakeTimestampAuthority;

  beforeAll(async () => {
    tsa = await FakeTimestampAuthority.start({ issuer: await createCertificateAuthority('TSA Test CA') });
  });

  afterAll(async () => {
    await tsa.close();
  });

  it('returns a time-stamp token over the SHA-256 of the data, at the current time', async () => {
    const data = Buffer.from('the COSE countersignature structure');
    const before = Date.now();
    const token = await new Rfc3161TimestampClient(tsa.url).timestamp(data);

    const contentInfo = AsnConvert.parse(token, TimeStampToken);
    const signed = AsnConvert.parse(contentInfo.content, SignedData);
    const info = AsnConvert.parse(signed.encapContentInfo.eContent!.single!.buffer, TSTInfo);
    expect(info.messageImprint.hashAlgorithm.algorithm).toBe(SHA256_OID);
    expect(Buffer.from(info.messageImprint.hashedMessage.buffer)).toEqual(createHash('sha256').update(data).digest());
    expect(info.genTime.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(signed.certificates).toHaveLength(1);
  });

  it('fails with a typed error naming the refusal', async () => {
    const refusing = await FakeTimestampAuthority.start({ issuer: await createCertificateAuthority('Refusing CA') });
    try {
      refusing.refuse();
      await expect(new Rfc3161TimestampClient(refusing.url).timestamp(Buffer.from('x'))).rejects.toThrow(
        new TimestampFailedError(`time-stamp authority ${refusing.url} refused the request (status 2)`),
      );
    } finally {
      await refusing.close();
    }
  });

  it('rejects a token that does not answer the request, an HTTP error, garbage and an unreachable TSA', async () => {
    const other = await FakeHttpServer.start();
    try {
      // A replayed reply: genuine, but for other data and another nonce.
      await new Rfc3161TimestampClient(tsa.url).timestamp(Buffer.from('other data'));
      const staleReply = tsa.replies.at(-1)!;
      other.route('POST', '/replay', () => ({ buffer: staleReply }));
      other.route('POST', '/down', () => ({ status: 503, text: 'maintenance' }));
      other.route('POST', '/garbage', () => ({ buffer: Buffer.from('not DER at all') }));

      await expect(new Rfc3161TimestampClient(`${other.url}/replay`).timestamp(Buffer.from('mine'))).rejects.toThrow(
        /covers different data than requested/,
      );
      await expect(new Rfc3161TimestampClient(`${other.url}/down`).timestamp(Buffer.from('mine'))).rejects.toThrow(/answered HTTP 503/);
      await expect(new Rfc3161TimestampClient(`${other.url}/garbage`).timestamp(Buffer.from('mine'))).rejects.toThrow(
        /unparsable reply/,
      );
    } finally {
      await other.close();
    }
    await expect(new Rfc3161TimestampClient(`${other.url}/gone`, { timeoutMs: 2000 }).timestamp(Buffer.from('x'))).rejects.toThrow(
      /unreachable/,
    );
    expect(() => new Rfc3161TimestampClient('ftp://tsa.example')).toThrow(TimestampFailedError);
  });
});
