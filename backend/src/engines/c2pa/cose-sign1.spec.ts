import { Tag, decode, encode } from 'cbor-x';
import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import { SigningFailedError } from './c2pa-errors';
import { C2paSigner, PemFileSigner } from './c2pa-signer';
import { coseReserveSize, paddingFor, signClaimAsCoseSign1 } from './cose-sign1';
import { createCertificateAuthority, issueEndEntityCertificate } from './development-pki';
import type { TimestampAuthority } from './timestamp-authority';

describe('signClaimAsCoseSign1', () => {
  let signer: PemFileSigner;
  const claim = Buffer.from('claim bytes c2pa-rs hands to the sign callback');

  beforeAll(async () => {
    const ca = await createCertificateAuthority('COSE Test CA');
    const leaf = await issueEndEntityCertificate(ca, 'COSE Test Signer', 'c2pa-signing');
    signer = PemFileSigner.fromPem(leaf.privateKeyPem, leaf.certificatePem);
  });

  it('builds a tagged COSE_Sign1 with alg and x5chain protected, a detached payload and a verifiable r‖s signature', async () => {
    const reserveSize = coseReserveSize(signer, false);
    const cose = await signClaimAsCoseSign1({ claim, signer, reserveSize });

    expect(cose.length).toBe(reserveSize);
    const tagged = decode(cose) as Tag;
    expect(tagged.tag).toBe(18);
    const [protectedBytes, unprotected, payload, signature] = tagged.value as [Buffer, Map<string, Buffer>, null, Buffer];
    expect(payload).toBeNull();
    const header = decodeMap(protectedBytes);
    expect(header.get(1)).toBe(-7);
    expect(Buffer.from(header.get(33) as Uint8Array)).toEqual(Buffer.from(signer.certificateChain[0]));
    expect(signature).toHaveLength(64);
    expect([...mapEntries(unprotected).keys()]).toEqual(['pad']);

    const sigStructure = encode(['Signature1', protectedBytes, Buffer.alloc(0), claim]);
    const publicKey = createPublicKey(new X509Certificate(Buffer.from(signer.certificateChain[0])).publicKey.export({ format: 'pem', type: 'spki' }));
    expect(verify('sha256', sigStructure, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
    expect(verify('sha256', Buffer.concat([sigStructure, Buffer.from([0])]), { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(false);
  });

  it('hits every reserved size exactly, including the ones that need a second pad', async () => {
    const minimum = (await signClaimAsCoseSign1({ claim, signer, reserveSize: 0 }).catch((err: Error) => err)) as Error;
    const needed = Number(/is (\d+) bytes larger/.exec(minimum.message)![1]);
    const sizes = [needed, ...range(needed + 5, needed + 400), needed + 65_530, needed + 65_545, needed + 70_000];
    for (const reserveSize of sizes) {
      const cose = await signClaimAsCoseSign1({ claim, signer, reserveSize });
      expect(cose.length).toBe(reserveSize);
    }
    expect([...paddingFor(29).entries()]).toEqual([
      ['pad', 18],
      ['pad2', 0],
    ]);
  });

  it('refuses sizes it cannot reach, a DER signature and an empty chain, naming each', async () => {
    const reserveSize = coseReserveSize(signer, false);
    await expect(signClaimAsCoseSign1({ claim, signer, reserveSize: 100 })).rejects.toThrow(/bytes larger than the space reserved/);
    expect(() => paddingFor(3)).toThrow(new SigningFailedError('cannot pad COSE_Sign1 by exactly 3 bytes'));

    const derSigner: C2paSigner = {
      alg: 'es256',
      certificateChain: signer.certificateChain,
      sign: async () => Buffer.alloc(71, 0x30),
    };
    await expect(signClaimAsCoseSign1({ claim, signer: derSigner, reserveSize })).rejects.toThrow(
      'signer returned 71 signature bytes; es256 needs 64 (raw r‖s, not DER)',
    );
    const chainless: C2paSigner = { alg: 'es256', certificateChain: [], sign: signer.sign.bind(signer) };
    await expect(signClaimAsCoseSign1({ claim, signer: chainless, reserveSize })).rejects.toThrow('empty certificate chain');
  });

  it('time-stamps the signature itself into sigTst2 (C2PA v2 countersignature data)', async () => {
    const stamped: Buffer[] = [];
    const authority: TimestampAuthority = {
      timestamp: async (data) => {
        stamped.push(Buffer.from(data));
        return Buffer.from('DER token stands in here');
      },
    };
    const reserveSize = coseReserveSize(signer, true);
    const cose = await signClaimAsCoseSign1({ claim, signer, reserveSize, timestampAuthority: authority });

    expect(cose.length).toBe(reserveSize);
    const [protectedBytes, unprotected, , signature] = (decode(cose) as Tag).value as [Buffer, unknown, null, Buffer];
    const sigTst2 = mapEntries(mapEntries(unprotected).get('sigTst2'));
    const tokens = sigTst2.get('tstTokens') as unknown[];
    expect(Buffer.from(mapEntries(tokens[0]).get('val') as Uint8Array).toString()).toBe('DER token stands in here');
    // What was stamped: Sig_structure "CounterSignature" over the CBOR of the signature byte string.
    expect(stamped).toEqual([encode(['CounterSignature', protectedBytes, Buffer.alloc(0), encode(signature)])]);
  });
});

function decodeMap(bytes: Buffer): Map<number, unknown> {
  return mapEntries(decode(bytes)) as Map<number, unknown>;
}

/** cbor-x decodes maps to objects or Maps depending on their keys; read either. */
function mapEntries(value: unknown): Map<unknown, unknown> {
  if (value instanceof Map) return value;
  return new Map(Object.entries(value as object).map(([k, v]) => [/^-?\d+$/.test(k) ? Number(k) : k, v]));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
