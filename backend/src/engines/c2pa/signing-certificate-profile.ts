import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { X509Certificate as NodeX509Certificate } from 'node:crypto';
import { CredentialsInvalidError } from './c2pa-errors';

/** Extended key usages c2pa-rs accepts for a claim signer (its valid_eku_oids list). */
export const C2PA_SIGNING_EKUS: readonly string[] = [
  x509.ExtendedKeyUsage.emailProtection,
  '1.3.6.1.5.5.7.3.36', // id-kp-documentSigning
  x509.ExtendedKeyUsage.timeStamping,
  x509.ExtendedKeyUsage.ocspSigning,
  '1.3.6.1.4.1.311.76.59.1.9', // Microsoft C2PA signing
];
const ANY_EKU = '2.5.29.37.0';

/**
 * Checks the end-entity profile c2pa-rs enforces when it validates a claim
 * signature, so a certificate that would make every signed clip read Invalid
 * is refused when the signer is configured rather than discovered later.
 */
export function checkSigningCertificateProfile(certificate: NodeX509Certificate): void {
  const cert = new x509.X509Certificate(certificate.raw);
  const problems: string[] = [];

  const basic = cert.getExtension(x509.BasicConstraintsExtension);
  if (basic?.ca) problems.push('it is a CA certificate (basicConstraints cA=true)');

  const keyUsage = cert.getExtension(x509.KeyUsagesExtension);
  if (!keyUsage || !(keyUsage.usages & x509.KeyUsageFlags.digitalSignature)) {
    problems.push('its key usage lacks digitalSignature');
  } else if (keyUsage.usages & x509.KeyUsageFlags.keyCertSign) {
    problems.push('its key usage includes keyCertSign');
  }

  const eku = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const usages = (eku?.usages ?? []).map(String);
  if (usages.includes(ANY_EKU)) problems.push('its extended key usage is anyExtendedKeyUsage');
  else if (!usages.some((u) => C2PA_SIGNING_EKUS.includes(u))) {
    problems.push('its extended key usage has none of emailProtection, documentSigning, timeStamping, OCSPSigning');
  }

  if (!cert.getExtension(x509.AuthorityKeyIdentifierExtension)) problems.push('it has no authority key identifier');

  if (problems.length > 0) {
    throw new CredentialsInvalidError(`signing certificate ${cert.subject} cannot sign C2PA claims: ${problems.join('; ')}`);
  }
}
