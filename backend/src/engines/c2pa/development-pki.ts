import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { randomBytes, webcrypto } from 'node:crypto';
import { access, chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 3600 * 1000;
// Clocks of the machines that verify may lag ours a little.
const BACKDATE_MS = 5 * 60 * 1000;

export interface IssuedCertificate {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
  certificatePem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
}

export interface ValidityWindow {
  notBefore?: Date;
  notAfter?: Date;
}

/**
 * What the end-entity certificate is for. `c2pa-signing`: a claim signer
 * c2pa-rs accepts (digitalSignature, emailProtection + documentSigning,
 * authority key id, not a CA). `timestamping`: an RFC 3161 time-stamp
 * authority (critical timeStamping EKU).
 */
export type EndEntityProfile = 'c2pa-signing' | 'timestamping';

export async function createCertificateAuthority(commonName: string, validity: ValidityWindow = {}): Promise<IssuedCertificate> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const { notBefore, notAfter } = window(validity, 10 * 365);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: distinguishedName(commonName),
    notBefore,
    notAfter,
    keys,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return finish(certificate, keys);
}

export async function issueEndEntityCertificate(
  issuer: IssuedCertificate,
  commonName: string,
  profile: EndEntityProfile,
  validity: ValidityWindow = {},
): Promise<IssuedCertificate> {
  const keys = await webcrypto.subtle.generateKey(EC_P256, true, ['sign', 'verify']);
  const { notBefore, notAfter } = window(validity, 365);
  const ekus =
    profile === 'c2pa-signing'
      ? [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection, '1.3.6.1.5.5.7.3.36'], false)]
      : [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.timeStamping], true)];
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: distinguishedName(commonName),
    issuer: issuer.certificate.subject,
    notBefore,
    notAfter,
    signingKey: issuer.keys.privateKey,
    publicKey: keys.publicKey,
    signingAlgorithm: EC_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      ...ekus,
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate, false),
    ],
  });
  return finish(certificate, keys);
}

export interface DevelopmentPkiPaths {
  dir: string;
  /** The local CA; give it to verifiers as their trust anchor. */
  caCertificatePath: string;
  /** The signing certificate (the chain c2pa signing sends), PEM. */
  signerCertificateChainPath: string;
  /** The signing key, PKCS#8 PEM, mode 0600. */
  signerKeyPath: string;
}

export function developmentPkiPaths(dir: string): DevelopmentPkiPaths {
  return {
    dir,
    caCertificatePath: join(dir, 'c2pa-dev-ca.pem'),
    signerCertificateChainPath: join(dir, 'c2pa-signer-chain.pem'),
    signerKeyPath: join(dir, 'c2pa-signer-key.pem'),
  };
}

/** Writes a fresh local CA and a C2PA signing certificate it issued into `dir`. */
export async function writeDevelopmentPki(dir: string, signerValidity: ValidityWindow = {}): Promise<DevelopmentPkiPaths> {
  const paths = developmentPkiPaths(dir);
  const ca = await createCertificateAuthority('Provenant Development CA');
  const signer = await issueEndEntityCertificate(ca, 'Provenant Development Signer', 'c2pa-signing', signerValidity);
  await mkdir(dir, { recursive: true });
  await writeFile(paths.caCertificatePath, ca.certificatePem);
  await writeFile(paths.signerCertificateChainPath, signer.certificatePem);
  await writeFile(paths.signerKeyPath, signer.privateKeyPem, { mode: 0o600 });
  await chmod(paths.signerKeyPath, 0o600);
  // The CA key is not kept: nothing else is ever issued from a development CA.
  return paths;
}

/**
 * First start in development: create the local PKI unless it is already in
 * `dir`. `created` tells the caller to show the user where the files are.
 */
export async function ensureDevelopmentPki(dir: string): Promise<DevelopmentPkiPaths & { created: boolean }> {
  const paths = developmentPkiPaths(dir);
  const present = await Promise.all(
    [paths.caCertificatePath, paths.signerCertificateChainPath, paths.signerKeyPath].map((p) =>
      access(p).then(
        () => true,
        () => false,
      ),
    ),
  );
  if (present.every(Boolean)) return { ...paths, created: false };
  return { ...(await writeDevelopmentPki(dir)), created: true };
}

async function finish(certificate: x509.X509Certificate, keys: CryptoKeyPair): Promise<IssuedCertificate> {
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  return {
    certificate,
    keys,
    certificatePem: `${certificate.toString('pem')}\n`,
    privateKeyPem: `${x509.PemConverter.encode(pkcs8, 'PRIVATE KEY')}\n`,
  };
}

function window(validity: ValidityWindow, defaultDays: number): { notBefore: Date; notAfter: Date } {
  const notBefore = validity.notBefore ?? new Date(Date.now() - BACKDATE_MS);
  const notAfter = validity.notAfter ?? new Date(notBefore.getTime() + defaultDays * DAY_MS);
  return { notBefore, notAfter };
}

function distinguishedName(commonName: string): string {
  return `CN=${commonName.replace(/[,+="\\<>;]/g, ' ')}, O=Provenant`;
}

/** Positive 16-byte serial (top bit cleared so DER does not read it as negative). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString('hex');
}
