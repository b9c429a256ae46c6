import { randomBytes } from 'node:crypto';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppConfig } from '../../config/app-config';
import {
  PemFileSigner,
  Rfc3161TimestampClient,
  developmentPkiPaths,
  writeDevelopmentPki,
  type C2paSigner,
  type DevelopmentPkiPaths,
  type TimestampAuthority,
} from '../../engines/c2pa';
import { logger } from '../core/logger';

/** What signing and verification need: the signer, and the anchors verifiers trust. */
export interface C2paCredentials {
  signer: C2paSigner;
  /** PEM: our CA (development) or C2PA_TRUST_ANCHORS_PATH, or both. Files signed under any of them read Trusted. */
  trustAnchorsPem: string;
  /** PEM anchors for RFC 3161 time stamps (C2PA_TSA_ANCHORS_PATH). */
  timestampAnchorsPem?: string;
  timestampAuthority?: TimestampAuthority;
  /** Where the development PKI is, when it is used. */
  developmentPki: DevelopmentPkiPaths | null;
}

export function developmentPkiDir(cfg: Pick<AppConfig, 'dataDir'>): string {
  return join(cfg.dataDir, 'keys', 'c2pa');
}

/**
 * C2PA_KEY_PATH + C2PA_CERT_CHAIN_PATH when set (the C2paSigner interface
 * leaves room for a KMS or HSM signer); otherwise a local development CA and
 * signing certificate, generated once into DATA_DIR/keys/c2pa.
 */
export async function loadC2paCredentials(cfg: AppConfig): Promise<C2paCredentials> {
  const extraAnchors = cfg.C2PA_TRUST_ANCHORS_PATH ? await readPem(cfg.C2PA_TRUST_ANCHORS_PATH, 'C2PA_TRUST_ANCHORS_PATH') : '';
  const timestampAnchorsPem = cfg.C2PA_TSA_ANCHORS_PATH ? await readPem(cfg.C2PA_TSA_ANCHORS_PATH, 'C2PA_TSA_ANCHORS_PATH') : undefined;
  const timestampAuthority = cfg.C2PA_TSA_URL ? new Rfc3161TimestampClient(cfg.C2PA_TSA_URL) : undefined;
  if (cfg.C2PA_KEY_PATH && cfg.C2PA_CERT_CHAIN_PATH) {
    const signer = await PemFileSigner.fromFiles(cfg.C2PA_KEY_PATH, cfg.C2PA_CERT_CHAIN_PATH);
    if (!extraAnchors) logger.warn('C2PA_TRUST_ANCHORS_PATH is not set: verification reports our own signatures as Valid, not Trusted');
    return { signer, trustAnchorsPem: extraAnchors, timestampAnchorsPem, timestampAuthority, developmentPki: null };
  }
  const pki = await ensureDevelopmentPkiOnce(developmentPkiDir(cfg));
  const signer = await PemFileSigner.fromFiles(pki.signerKeyPath, pki.signerCertificateChainPath);
  const ownCa = await readFile(pki.caCertificatePath, 'utf8');
  return { signer, trustAnchorsPem: `${ownCa}${extraAnchors}`, timestampAnchorsPem, timestampAuthority, developmentPki: pki };
}

/**
 * The api and the workers start at the same time: each would write its own
 * CA and leaf. The PKI is written to a private directory and renamed into
 * place, so exactly one complete set wins and the others use it.
 */
async function ensureDevelopmentPkiOnce(dir: string): Promise<DevelopmentPkiPaths> {
  const paths = developmentPkiPaths(dir);
  if (await exists(paths.signerKeyPath)) return paths;
  await mkdir(join(dir, '..'), { recursive: true, mode: 0o700 });
  const staging = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeDevelopmentPki(staging);
  try {
    await rename(staging, dir);
    logger.warn(
      { caCertificate: paths.caCertificatePath, signerCertificate: paths.signerCertificateChainPath, signerKey: paths.signerKeyPath },
      'generated a development C2PA PKI: give the CA certificate to verifiers as trust anchor; set C2PA_KEY_PATH and C2PA_CERT_CHAIN_PATH in production',
    );
  } catch (err) {
    // Another process won (its directory is there and not empty): use its set.
    if (!['ENOTEMPTY', 'EEXIST'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return paths;
}

async function readPem(path: string, setting: string): Promise<string> {
  const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(`${setting} ${path} cannot be read: ${err.code ?? err.message}`);
  });
  if (!text.includes('-----BEGIN CERTIFICATE-----')) throw new Error(`${setting} ${path} holds no PEM certificate`);
  return text.endsWith('\n') ? text : `${text}\n`;
}

function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
