import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { X509Certificate, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialsInvalidError } from './c2pa-errors';
import { PemFileSigner } from './c2pa-signer';
import { createCertificateAuthority, ensureDevelopmentPki, issueEndEntityCertificate } from './development-pki';
import { checkSigningCertificateProfile } from './signing-certificate-profile';

describe('development PKI and the PEM signer', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'c2pa-pki-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a local CA and a signer once, with a private key only its owner can read', async () => {
    const first = await ensureDevelopmentPki(join(dir, 'keys'));
    expect(first.created).toBe(true);
    expect((await stat(first.signerKeyPath)).mode & 0o777).toBe(0o600);

    const again = await ensureDevelopmentPki(join(dir, 'keys'));
    expect(again.created).toBe(false);
    expect(await readFile(again.signerKeyPath, 'utf8')).toBe(await readFile(first.signerKeyPath, 'utf8'));

    const signer = await PemFileSigner.fromFiles(first.signerKeyPath, first.signerCertificateChainPath);
    expect(signer.alg).toBe('es256');
    const ca = new X509Certificate(await readFile(first.caCertificatePath));
    const leaf = new X509Certificate(Buffer.from(signer.certificateChain[0]));
    expect(leaf.verify(ca.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(ca.ca).toBe(true);

    const data = Buffer.from('to be signed');
    const signature = await signer.sign(data);
    expect(signature).toHaveLength(64);
    expect(verify('sha256', data, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature)).toBe(true);
  });

  it('issues a signing certificate with the profile c2pa-rs requires', async () => {
    const ca = await createCertificateAuthority('Profile CA');
    const leaf = await issueEndEntityCertificate(ca, 'Profile Signer', 'c2pa-signing');
    const cert = leaf.certificate;
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']);
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId).toBe(
      ca.certificate.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    );
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(() => checkSigningCertificateProfile(new X509Certificate(Buffer.from(cert.rawData)))).not.toThrow();
  });

  it('refuses certificates c2pa-rs would reject, saying why', async () => {
    const ca = await createCertificateAuthority('Strict CA');
    expect(() => checkSigningCertificateProfile(new X509Certificate(Buffer.from(ca.certificate.rawData)))).toThrow(
      /it is a CA certificate.*key usage lacks digitalSignature.*extended key usage has none of/,
    );

    const keys = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
    const tlsOnly = await x509.X509CertificateGenerator.create({
      serialNumber: '0a',
      subject: 'CN=TLS only',
      issuer: ca.certificate.subject,
      signingKey: ca.keys.privateKey,
      publicKey: keys.publicKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ],
    });
    expect(() => checkSigningCertificateProfile(new X509Certificate(Buffer.from(tlsOnly.rawData)))).toThrow(
      'signing certificate CN=TLS only cannot sign C2PA claims: its extended key usage has none of emailProtection, documentSigning, timeStamping, OCSPSigning; it has no authority key identifier',
    );
  });

  it('refuses unusable key files and chains with typed errors', async () => {
    const ca = await createCertificateAuthority('Key CA');
    const leaf = await issueEndEntityCertificate(ca, 'Key Signer', 'c2pa-signing');
    const other = await issueEndEntityCertificate(ca, 'Other Signer', 'c2pa-signing');
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

    const attempts: Array<[() => unknown, RegExp]> = [
      [() => PemFileSigner.fromPem('not a key', leaf.certificatePem), /signing key is not a readable PEM private key/],
      [() => PemFileSigner.fromPem(leaf.privateKeyPem, 'no certificates here'), /certificate chain has no PEM CERTIFICATE block/],
      [() => PemFileSigner.fromPem(other.privateKeyPem, leaf.certificatePem), /signing key does not match the first certificate/],
      [() => PemFileSigner.fromPem(rsa, leaf.certificatePem), /signing key must be an EC key on P-256, P-384 or P-521 \(got rsa\)/],
    ];
    for (const [attempt, message] of attempts) {
      expect(attempt).toThrow(CredentialsInvalidError);
      expect(attempt).toThrow(message);
    }
    const missing = join(dir, 'missing.pem');
    await writeFile(join(dir, 'chain.pem'), leaf.certificatePem);
    await expect(PemFileSigner.fromFiles(missing, join(dir, 'chain.pem'))).rejects.toThrow(`cannot read signing key ${missing}: ENOENT`);
  });

  it('will not sign outside the certificate validity', async () => {
    const ca = await createCertificateAuthority('Validity CA');
    const future = await issueEndEntityCertificate(ca, 'Future Signer', 'c2pa-signing', {
      notBefore: new Date(Date.now() + 3600_000),
    });
    const signer = PemFileSigner.fromPem(future.privateKeyPem, future.certificatePem);
    await expect(signer.sign(Buffer.from('x'))).rejects.toThrow(/signing certificate is not valid before/);
  });
});
