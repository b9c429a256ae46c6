/** Messages between `C2paWasmHost` (main thread) and `c2pa-wasm.worker` (worker thread). */

export interface WorkerResource {
  format: string;
  bytes: Uint8Array;
}

export interface SignJob {
  kind: 'sign';
  jobId: number;
  manifestJson: string;
  contextJson: string;
  inputPath: string;
  outputPath: string;
  alg: string;
  reserveSize: number;
  thumbnail: WorkerResource;
  ingredient?: WorkerResource & { json: string };
}

export interface ReadJob {
  kind: 'read';
  jobId: number;
  source: { path: string } | { bytes: Uint8Array };
  contextJson: string;
}

/** The host's answer to a `sign-claim` request. */
export interface ClaimSignature {
  kind: 'claim-signature';
  jobId: number;
  cose?: Uint8Array;
  error?: string;
}

/** What reading found: a manifest store (as c2pa-rs JSON), none at all, or bytes c2pa-rs could not parse. */
export type ReadOutcome =
  | { kind: 'manifest'; manifestStoreJson: string }
  | { kind: 'absent' }
  | { kind: 'unreadable'; reason: string };

export interface SignedAsset {
  /** The embedded manifest store (JUMBF), for keeping a copy outside the file. */
  manifestStore: Uint8Array;
  /** c2pa-rs JSON of that manifest store read on its own (its hard binding cannot be checked without the file). */
  manifestStoreJson: string;
  outputBytes: number;
  /** SHA-256 of the signed file, hex. */
  outputSha256: string;
}

export type HostMessage = SignJob | ReadJob | ClaimSignature;

export type WorkerMessage =
  | { kind: 'sign-claim'; jobId: number; claim: Uint8Array }
  /** `wasmMemoryBytes`: the worker's wasm linear memory after the job; it never shrinks. */
  | { kind: 'signed'; jobId: number; result: SignedAsset; wasmMemoryBytes: number }
  | { kind: 'read'; jobId: number; outcome: ReadOutcome; wasmMemoryBytes: number }
  | { kind: 'failed'; jobId: number; message: string };
