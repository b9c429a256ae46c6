import { CredentialsInvalidError } from './c2pa-errors';
import { C2paWasmHost } from './c2pa-wasm-host';
import type { ReadOutcome } from './c2pa-worker-protocol';
import { checkIsoBmffFile, checkIsoBmffHead } from './iso-bmff-check';
import { REVIEW_ASSERTION_LABEL } from './release-provenance';

export type ManifestState = 'Trusted' | 'Valid' | 'Invalid' | 'absent';

export interface ManifestSigner {
  /** Common name of the signing certificate's subject. */
  commonName: string | null;
  /** Organization c2pa-rs reports for the signer. */
  organization: string | null;
  serialNumber: string | null;
  alg: string | null;
  /** Time from the RFC 3161 time stamp, when the signature has one. */
  timestampedAt: string | null;
}

export interface ManifestAction {
  action: string;
  digitalSourceType: string | null;
  softwareAgent: string | null;
}

export interface ManifestClaims {
  manifestLabel: string;
  title: string | null;
  claimGenerator: Array<{ name: string; version: string | null }>;
  actions: ManifestAction[];
  softBindings: Array<{ algorithm: string; value: string }>;
  ingredients: Array<{ title: string | null; relationship: string | null }>;
  hasThumbnail: boolean;
  /** Our review-outcome assertion (`org.provenant.review`), when the manifest is ours. */
  review: Record<string, unknown> | null;
}

export interface ManifestReport {
  state: ManifestState;
  signer: ManifestSigner | null;
  /** C2PA validation status codes of every failure, e.g. `assertion.bmffHash.mismatch`. */
  failures: string[];
  /** What the active manifest claims; untrustworthy unless `state` is Valid or Trusted. */
  claims: ManifestClaims | null;
  /** Why c2pa-rs could not parse the manifest store at all (state Invalid, failure `general.error`). */
  error?: string;
}

export interface ReadManifestOptions {
  /** PEM certificates to trust for signers; without them a good signature reads `Valid`, never `Trusted`. */
  trustAnchorsPem?: string;
  /**
   * PEM certificates to trust for time-stamp authorities (c2pa-rs keeps this
   * store apart). Without a trusted time stamp, validity is judged at the
   * current time, so a signature outlives its certificate only with one.
   */
  timestampAnchorsPem?: string;
  /** Defaults to a shared host with one worker. */
  host?: C2paWasmHost;
}

let sharedHost: C2paWasmHost | undefined;

/** The host `readManifest` uses when none is given. */
export function sharedC2paHost(): C2paWasmHost {
  sharedHost ??= new C2paWasmHost();
  return sharedHost;
}

export async function closeSharedC2paHost(): Promise<void> {
  const host = sharedHost;
  sharedHost = undefined;
  await host?.close();
}

/**
 * Reads and validates the C2PA manifest of an MP4 offline (no OCSP, no
 * remote manifests). A file path streams from disk; bytes are read in memory.
 */
export async function readManifest(input: string | Uint8Array, options: ReadManifestOptions = {}): Promise<ManifestReport> {
  if (typeof input === 'string') await checkIsoBmffFile(input);
  else checkIsoBmffHead(input.subarray(0, 12), 'the uploaded data');
  const outcome = await (options.host ?? sharedC2paHost()).read(
    typeof input === 'string' ? { path: input } : { bytes: input },
    readerContextJson(options),
  );
  return reportFrom(outcome);
}

/** c2pa-rs settings for an offline read (the `trust.anchors` shape of c2pa-rs 0.91+). */
export function readerContextJson(trust: Pick<ReadManifestOptions, 'trustAnchorsPem' | 'timestampAnchorsPem'> = {}): string {
  const anchors = [
    { trust_kind: 'manifest', trust_anchors: trust.trustAnchorsPem, name: 'trust anchors' },
    { trust_kind: 'tsa', trust_anchors: trust.timestampAnchorsPem, name: 'time-stamp anchors' },
  ].filter((list): list is { trust_kind: string; trust_anchors: string; name: string } => list.trust_anchors !== undefined);
  for (const list of anchors) {
    if (!/-----BEGIN CERTIFICATE-----/.test(list.trust_anchors)) {
      throw new CredentialsInvalidError(`${list.name} contain no PEM certificate`);
    }
  }
  return JSON.stringify({
    verify: {
      verify_trust: true,
      verify_timestamp_trust: true,
      remote_manifest_fetch: false,
      ocsp_fetch: false,
    },
    trust: { anchors: anchors.map(({ trust_kind, trust_anchors }) => ({ trust_kind, trust_anchors })) },
  });
}

function reportFrom(outcome: ReadOutcome): ManifestReport {
  if (outcome.kind === 'absent') return { state: 'absent', signer: null, failures: [], claims: null };
  if (outcome.kind === 'unreadable') {
    return { state: 'Invalid', signer: null, failures: ['general.error'], claims: null, error: outcome.reason };
  }
  return interpretManifestStore(JSON.parse(outcome.manifestStoreJson) as Json);
}

type Json = Record<string, unknown>;

/** Turns c2pa-rs Reader JSON into a report. Exported for manifests read elsewhere (e.g. a stored copy). */
export function interpretManifestStore(store: Json): ManifestReport {
  const stateText = str(store.validation_state);
  const state: ManifestState = stateText === 'Trusted' || stateText === 'Valid' ? stateText : 'Invalid';
  const activeLabel = str(store.active_manifest);
  const manifest = activeLabel ? (obj(obj(store.manifests)?.[activeLabel]) ?? null) : null;
  const failures = failureCodes(store);
  if (state === 'Invalid' && failures.length === 0) failures.push('general.error');
  if (!manifest || !activeLabel) return { state, signer: null, failures, claims: null };

  const signature = obj(manifest.signature_info);
  const signer: ManifestSigner | null = signature
    ? {
        commonName: str(signature.common_name),
        organization: str(signature.issuer),
        serialNumber: str(signature.cert_serial_number),
        alg: str(signature.alg),
        timestampedAt: str(signature.time),
      }
    : null;
  return { state, signer, failures, claims: claimsOf(activeLabel, manifest) };
}

function failureCodes(store: Json): string[] {
  const results = obj(obj(store.validation_results)?.activeManifest);
  const entries = results ? arr(results.failure) : arr(store.validation_status);
  const codes = entries.map((e) => str(obj(e)?.code)).filter((c): c is string => c !== null);
  return [...new Set(codes)];
}

function claimsOf(label: string, manifest: Json): ManifestClaims {
  const assertions = arr(manifest.assertions).map(obj).filter((a): a is Json => a !== null);
  const data = (a: Json) => obj(a.data) ?? {};
  const labelled = (pattern: RegExp) => assertions.filter((a) => pattern.test(str(a.label) ?? ''));

  const actions = labelled(/^c2pa\.actions(\.v\d+)?$/).flatMap((a) =>
    arr(data(a).actions)
      .map(obj)
      .filter((x): x is Json => x !== null)
      .map((x) => ({
        action: str(x.action) ?? '',
        digitalSourceType: str(x.digitalSourceType),
        softwareAgent: str(obj(x.softwareAgent)?.name) ?? str(x.softwareAgent),
      })),
  );
  const softBindings = labelled(/^c2pa\.soft-binding(\.v\d+)?$/).flatMap((a) =>
    arr(data(a).blocks).map((b) => ({ algorithm: str(data(a).alg) ?? '', value: str(obj(b)?.value) ?? '' })),
  );
  const review = labelled(new RegExp(`^${REVIEW_ASSERTION_LABEL.replace(/\./g, '\\.')}$`))[0];

  return {
    manifestLabel: label,
    title: str(manifest.title),
    claimGenerator: arr(manifest.claim_generator_info)
      .map(obj)
      .filter((g): g is Json => g !== null)
      .map((g) => ({ name: str(g.name) ?? '', version: str(g.version) })),
    actions,
    softBindings,
    ingredients: arr(manifest.ingredients)
      .map(obj)
      .filter((i): i is Json => i !== null)
      .map((i) => ({ title: str(i.title), relationship: str(i.relationship) })),
    hasThumbnail: obj(manifest.thumbnail) !== null,
    review: review ? data(review) : null,
  };
}

function obj(value: unknown): Json | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : null;
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}
