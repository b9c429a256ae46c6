import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { InputMismatchError, InputTooLargeError } from './c2pa-errors';
import type { C2paSigner } from './c2pa-signer';
import { C2paWasmHost } from './c2pa-wasm-host';
import { coseReserveSize, signClaimAsCoseSign1 } from './cose-sign1';
import { sha256File } from './file-sha256';
import { checkIsoBmffFile } from './iso-bmff-check';
import { planReleaseManifest } from './release-manifest';
import type { ReleaseProvenance } from './release-provenance';
import type { TimestampAuthority } from './timestamp-authority';

export interface ReleaseSignerOptions {
  signer: C2paSigner;
  /** RFC 3161 time stamps keep signatures valid after the certificate expires. */
  timestampAuthority?: TimestampAuthority;
  /** Inputs larger than this are refused before any signing work. */
  maxInputBytes: number;
  /** Defaults to a private host with one worker; `close()` stops it. */
  host?: C2paWasmHost;
}

export interface SignReleaseRequest {
  /** The approved, watermarked MP4. */
  inputPath: string;
  /** SHA-256 (hex) of the file that was approved; when given, any other content is refused. */
  expectedInputSha256?: string;
  /** Where the signed copy goes; written atomically. */
  outputPath: string;
  provenance: ReleaseProvenance;
}

export interface SignedRelease {
  outputPath: string;
  bytes: number;
  /** SHA-256 of the signed file, hex: the content hash the manifest store indexes. */
  sha256: string;
  manifestLabel: string;
  /** The active manifest as c2pa-rs JSON (assertions, signature info), for the manifest store. */
  manifest: Record<string, unknown>;
  /** The embedded manifest store (JUMBF bytes), kept so it can be served after stripping. */
  manifestStore: Uint8Array;
  timestamped: boolean;
}

// Signing checks its own output (verify_after_sign) but not trust: trust is the verifier's call.
const SIGNING_CONTEXT_JSON = JSON.stringify({
  verify: {
    verify_after_sign: true,
    verify_trust: false,
    verify_timestamp_trust: false,
    remote_manifest_fetch: false,
    ocsp_fetch: false,
  },
});

/** Signs a released clip: embeds its C2PA manifest and returns what the manifest store keeps. */
export class ReleaseSigner {
  private readonly host: C2paWasmHost;
  private readonly ownsHost: boolean;

  constructor(private readonly options: ReleaseSignerOptions) {
    this.ownsHost = !options.host;
    this.host = options.host ?? new C2paWasmHost();
  }

  async sign(request: SignReleaseRequest): Promise<SignedRelease> {
    const plan = planReleaseManifest(request.provenance);
    const { bytes } = await checkIsoBmffFile(request.inputPath);
    if (bytes > this.options.maxInputBytes) throw new InputTooLargeError(bytes, this.options.maxInputBytes);
    if (request.expectedInputSha256) {
      const actual = await sha256File(request.inputPath);
      if (actual !== request.expectedInputSha256.toLowerCase()) throw new InputMismatchError(request.expectedInputSha256, actual);
    }

    const { signer, timestampAuthority } = this.options;
    const reserveSize = coseReserveSize(signer, timestampAuthority !== undefined);
    const partialPath = `${request.outputPath}.partial-${randomBytes(4).toString('hex')}`;
    try {
      const signed = await this.host.sign(
        {
          manifestJson: JSON.stringify(plan.definition),
          contextJson: SIGNING_CONTEXT_JSON,
          inputPath: request.inputPath,
          outputPath: partialPath,
          alg: signer.alg,
          reserveSize,
          thumbnail: plan.thumbnail,
          ingredient: plan.ingredient,
        },
        (claim) => signClaimAsCoseSign1({ claim, signer, reserveSize, timestampAuthority }),
      );
      await rename(partialPath, request.outputPath);
      const store = JSON.parse(signed.manifestStoreJson) as { active_manifest: string; manifests: Record<string, Record<string, unknown>> };
      return {
        outputPath: request.outputPath,
        bytes: signed.outputBytes,
        sha256: signed.outputSha256,
        manifestLabel: store.active_manifest,
        manifest: store.manifests[store.active_manifest],
        manifestStore: signed.manifestStore,
        timestamped: timestampAuthority !== undefined,
      };
    } catch (err) {
      await rm(partialPath, { force: true });
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.ownsHost) await this.host.close();
  }
}
