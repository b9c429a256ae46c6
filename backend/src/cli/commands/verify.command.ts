import { openAsBlob } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Command } from 'commander';
import type { VerifyC2paDto, VerifyOriginDto, VerifyResponseDto } from '@provenant/shared';
import { C2paError } from '../../engines/c2pa/c2pa-errors';
import { closeSharedC2paHost, readManifest } from '../../engines/c2pa/manifest-reader';
import type { ProvenantClient } from '@provenant/shared';
import { asCliError, CliError, clientFor, EXIT, markNegativeVerdict, output, serverOptions, unreadable } from '../cli-context';

/**
 * `provenant verify FILE`: what a publisher learns about a clip they were
 * handed. Offline it reads the embedded C2PA manifest (step a). With
 * `--server` it uploads the file to `POST /api/v1/verify`, which adds the
 * watermark look-up and the release status, and prints that answer.
 */

/** Step a alone: the server's answer (VerifyResponseDto) without the watermark look-up and the release status. */
export interface OfflineVerifyReport {
  c2pa: VerifyC2paDto;
  origin: Pick<VerifyOriginDto, 'clipId' | 'recoveredBy'>;
  release: { status: 'not_checked' };
}

export interface OfflineVerifyOptions {
  trustAnchorsPem?: string;
  timestampAnchorsPem?: string;
}

export async function verifyOffline(file: string, options: OfflineVerifyOptions = {}): Promise<OfflineVerifyReport> {
  const report = await readManifest(file, options);
  const trustworthy = report.state === 'Trusted' || report.state === 'Valid';
  const clipId = trustworthy ? report.claims?.review?.clipId : undefined;
  return {
    c2pa: { state: report.state, failures: report.failures, signer: report.signer, claims: report.claims },
    origin: typeof clipId === 'string' ? { clipId, recoveredBy: 'c2pa' } : { clipId: null, recoveredBy: null },
    release: { status: 'not_checked' },
  };
}

/** Uploads `file` to /api/v1/verify and returns the server's answer; credentials as every command takes them. */
export async function verifyOnline(file: string, client: ProvenantClient): Promise<VerifyResponseDto> {
  await stat(file).catch((err: NodeJS.ErrnoException) => Promise.reject(unreadable(file, err)));
  return client.verify(await openAsBlob(file, { type: 'video/mp4' }), basename(file)).catch((err: unknown) => Promise.reject(asCliError(err) ?? err));
}

/** A verdict a script should act on: a leaked file, a manifest that failed validation, or a file of unknown origin. */
export function isNegativeVerify(report: VerifyResponseDto | OfflineVerifyReport): boolean {
  return report.c2pa.state === 'Invalid' || !report.origin.clipId || ('leak' in report.release && report.release.leak === true);
}

/** Human rendering of an offline report or of the server's answer (same top-level shape). */
export function renderVerifyReport(report: VerifyResponseDto | OfflineVerifyReport): string {
  const { c2pa, origin } = report;
  const lines: string[] = [];

  const signer = c2pa.signer?.commonName ? ` (signed by ${c2pa.signer.commonName})` : '';
  lines.push(`C2PA: ${c2pa.state}${signer}`);
  if (c2pa.state === 'absent') lines.push('  no C2PA manifest in this file (never signed, or stripped)');
  if (c2pa.failures.length) lines.push(`  failures: ${c2pa.failures.join(', ')}`);
  if (c2pa.state === 'Valid' && c2pa.failures.includes('signingCredential.untrusted')) {
    lines.push('  the signature is intact but its signer is not on a trust list you gave (--trust-anchors)');
  }
  const claims = c2pa.claims;
  if (claims && c2pa.state === 'Invalid') lines.push('  what the manifest claims (not to be trusted: it failed validation):');
  if (claims) {
    const created = claims.actions.find((a) => a.action === 'c2pa.created');
    if (created) lines.push(`  created by ${created.softwareAgent ?? 'an unnamed agent'} (${created.digitalSourceType?.split('/').pop() ?? 'no source type'})`);
    const review = claims.review;
    if (review) lines.push(`  review: ${String(review.decision)} by ${String(review.approvals)}, policy ${String(review.policyVersion)}, audit seq ${String(review.auditSeq)}`);
    for (const binding of claims.softBindings) lines.push(`  watermark: ${binding.algorithm} ${binding.value}`);
  }
  const watermark = 'watermark' in report ? report.watermark : null;
  if (watermark) lines.push(watermark.found ? `watermark: found, payload ${watermark.payload}` : 'watermark: none found');
  lines.push(origin.clipId ? `origin: clip ${origin.clipId} (found by ${origin.recoveredBy})` : 'origin: unknown');
  if ('message' in origin && origin.message) lines.push(`  ${origin.message}`);

  const release = report.release;
  if (release.status === 'not_checked') {
    lines.push('release: not checked (offline; pass --server URL to ask a Provenant server)');
  } else {
    const details = (['releasedAt', 'policyVersion', 'releasedSha256', 'clipState'] as const).filter((k) => release[k] !== undefined).map((k) => `, ${k} ${release[k]}`);
    lines.push(`release: ${release.status}${details.join('')}`);
    if (release.message) lines.push(release.leak ? `!!! ${release.message}` : `  ${release.message}`);
  }
  return lines.join('\n');
}

interface VerifyFlags {
  server?: string;
  token?: string;
  json?: boolean;
  trustAnchors?: string;
  tsaAnchors?: string;
}

export function registerVerifyCommands(program: Command): void {
  program
    .command('verify')
    .description('check where a video came from: its C2PA manifest offline, or everything the server knows with --server')
    .argument('<file>', 'the MP4 to check')
    .option('--server <url>', 'also ask this Provenant server (uploads the file to /api/v1/verify)')
    .option('--token <token>', 'access token or API key for --server (env PROVENANT_TOKEN)')
    .option('--trust-anchors <pem>', 'offline: CA certificates to trust for signers (env PROVENANT_TRUST_ANCHORS)')
    .option('--tsa-anchors <pem>', 'offline: CA certificates to trust for time stamps (env PROVENANT_TSA_ANCHORS)')
    .option('--json', 'print one JSON object on stdout')
    .action(async (file: string, _opts: VerifyFlags, cmd: Command) => {
      const flags = cmd.optsWithGlobals() as VerifyFlags;
      if (flags.server) {
        const answer = await verifyOnline(file, clientFor(serverOptions(cmd)));
        output(flags.json, answer, () => renderVerifyReport(answer));
        if (isNegativeVerify(answer)) markNegativeVerdict();
        return;
      }
      try {
        const report = await verifyOffline(file, {
          trustAnchorsPem: await readPem(flags.trustAnchors ?? process.env.PROVENANT_TRUST_ANCHORS),
          timestampAnchorsPem: await readPem(flags.tsaAnchors ?? process.env.PROVENANT_TSA_ANCHORS),
        });
        output(flags.json, report, () => renderVerifyReport(report));
        if (isNegativeVerify(report)) markNegativeVerdict();
      } catch (err) {
        // Unreadable files, non-MP4 input and unusable anchors are the caller's to fix.
        if (err instanceof C2paError && err.code !== 'WORKER_FAILED') throw new CliError(err.message, EXIT.usage);
        throw err;
      } finally {
        await closeSharedC2paHost();
      }
    });
}

async function readPem(path: string | undefined): Promise<string | undefined> {
  if (!path) return undefined;
  return readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => Promise.reject(unreadable(path, err)));
}
