import { KeyObject, X509Certificate, createPrivateKey, sign as nodeSign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CredentialsInvalidError } from './c2pa-errors';
import { checkSigningCertificateProfile } from './signing-certificate-profile';

export type C2paSigningAlg = 'es256' | 'es384' | 'es512';

/**
 * The raw-signature half of C2PA signing. The COSE_Sign1 around the signature
 * (headers, certificate chain, time stamp, padding) is built by
 * `signClaimAsCoseSign1`, so a KMS or HSM signer only has to implement this.
 */
export interface C2paSigner {
  readonly alg: C2paSigningAlg;
  /** DER certificates, signing certificate first, then intermediates; the trust anchor is left out. */
  readonly certificateChain: readonly Uint8Array[];
  /** Signs `data`; for ECDSA the answer is raw r‖s (IEEE P1363), not DER. */
  sign(data: Uint8Array): Promise<Uint8Array>;
}

const CURVE_ALGS: Record<string, { alg: C2paSigningAlg; hash: string }> = {
  prime256v1: { alg: 'es256', hash: 'sha256' },
  secp384r1: { alg: 'es384', hash: 'sha384' },
  secp521r1: { alg: 'es512', hash: 'sha512' },
};

/** Signs with an EC private key and certificate chain read from PEM files. */
export class PemFileSigner implements C2paSigner {
  readonly alg: C2paSigningAlg;
  readonly certificateChain: readonly Uint8Array[];
  private readonly hash: string;
  private readonly leaf: X509Certificate;

  private constructor(
    private readonly key: KeyObject,
    chain: X509Certificate[],
  ) {
    const { alg, hash } = algorithmFor(key);
    this.alg = alg;
    this.hash = hash;
    this.leaf = chain[0];
    this.certificateChain = chain.map((c) => new Uint8Array(c.raw));
  }

  static async fromFiles(keyPath: string, certificateChainPath: string): Promise<PemFileSigner> {
    const [keyPem, chainPem] = await Promise.all([
      readCredentialFile(keyPath, 'signing key'),
      readCredentialFile(certificateChainPath, 'certificate chain'),
    ]);
    return PemFileSigner.fromPem(keyPem, chainPem);
  }

  static fromPem(keyPem: string, certificateChainPem: string): PemFileSigner {
    let key: KeyObject;
    try {
      key = createPrivateKey(keyPem);
    } catch (err) {
      throw new CredentialsInvalidError(`signing key is not a readable PEM private key: ${(err as Error).message}`);
    }
    algorithmFor(key);
    const chain = parseCertificateChain(certificateChainPem);
    if (!chain[0].checkPrivateKey(key)) {
      throw new CredentialsInvalidError('signing key does not match the first certificate of the chain');
    }
    checkSigningCertificateProfile(chain[0]);
    return new PemFileSigner(key, chain);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    // A claim signed outside the certificate's validity reads Invalid forever; refuse instead.
    const now = Date.now();
    if (now > Date.parse(this.leaf.validTo)) {
      throw new CredentialsInvalidError(`signing certificate expired at ${this.leaf.validTo}`);
    }
    if (now < Date.parse(this.leaf.validFrom)) {
      throw new CredentialsInvalidError(`signing certificate is not valid before ${this.leaf.validFrom}`);
    }
    return nodeSign(this.hash, data, { key: this.key, dsaEncoding: 'ieee-p1363' });
  }
}

function algorithmFor(key: KeyObject): { alg: C2paSigningAlg; hash: string } {
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  const match = key.asymmetricKeyType === 'ec' ? CURVE_ALGS[curve] : undefined;
  if (!match) {
    const got = [key.asymmetricKeyType, curve].filter(Boolean).join(' ');
    throw new CredentialsInvalidError(`signing key must be an EC key on P-256, P-384 or P-521 (got ${got})`);
  }
  return match;
}

async function readCredentialFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CredentialsInvalidError(`cannot read ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function parseCertificateChain(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new CredentialsInvalidError('certificate chain has no PEM CERTIFICATE block');
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new CredentialsInvalidError(`certificate ${i + 1} of the chain cannot be parsed: ${(err as Error).message}`);
    }
  });
}
