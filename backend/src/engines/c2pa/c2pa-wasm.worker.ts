import * as c2pa from '@contentauth/c2pa-wasm';
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import type { HostMessage, ReadJob, ReadOutcome, SignJob, WorkerMessage } from './c2pa-worker-protocol';
import { SyncBlob, installFileReaderSyncShim } from './sync-blob';

/**
 * Worker-thread side of the C2PA engine: the only place c2pa-wasm runs. The
 * host recycles this thread, since wasm memory grown by a large file is never
 * given back, and a wasm trap kills only this thread.
 */

const port = parentPort;
if (!port) throw new Error('c2pa-wasm.worker must run in a worker thread');

installFileReaderSyncShim();
const { memory } = c2pa.initSync({ module: (workerData as { wasmModule: WebAssembly.Module }).wasmModule });

const claimRequests = new Map<number, { resolve: (cose: Uint8Array) => void; reject: (err: Error) => void }>();
const post = (message: WorkerMessage) => port.postMessage(message);
const errorText = (err: unknown) => (typeof err === 'string' ? err : err instanceof Error ? err.message : String(err));

port.on('message', (message: HostMessage) => {
  if (message.kind === 'claim-signature') {
    const pending = claimRequests.get(message.jobId);
    claimRequests.delete(message.jobId);
    if (message.cose) pending?.resolve(message.cose);
    else pending?.reject(new Error(message.error ?? 'claim signing failed'));
    return;
  }
  const run = message.kind === 'sign' ? sign(message) : read(message);
  run.catch((err: unknown) => post({ kind: 'failed', jobId: message.jobId, message: errorText(err) }));
});

/** c2pa-rs calls this with the claim; the host holds the key and returns the COSE_Sign1. */
function signClaim(jobId: number, claim: Uint8Array): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    claimRequests.set(jobId, { resolve, reject });
    post({ kind: 'sign-claim', jobId, claim });
  });
}

async function sign(job: SignJob): Promise<void> {
  const builder = c2pa.WasmBuilder.fromJson(job.manifestJson, job.contextJson);
  const fd = openSync(job.inputPath, 'r');
  try {
    builder.setThumbnailFromBlob(job.thumbnail.format, asBlob(SyncBlob.fromBytes(job.thumbnail.bytes)));
    if (job.ingredient) {
      await builder.addIngredientFromBlob(job.ingredient.json, job.ingredient.format, asBlob(SyncBlob.fromBytes(job.ingredient.bytes)));
    }
    const signed = (await builder.signAndGetManifestBytes(
      { alg: job.alg, reserveSize: job.reserveSize, sign: (claim) => signClaim(job.jobId, claim) as Promise<Uint8Array<ArrayBuffer>> },
      [],
      'video/mp4',
      asBlob(SyncBlob.fromFile(fd, fstatSync(fd).size)),
    )) as { asset: Uint8Array; manifest: Uint8Array };
    writeFileSync(job.outputPath, signed.asset);
    const store = await c2pa.WasmReader.fromBytes('application/c2pa', signed.manifest, job.contextJson);
    let manifestStoreJson: string;
    try {
      manifestStoreJson = store.json();
    } finally {
      store.free();
    }
    post({
      kind: 'signed',
      jobId: job.jobId,
      result: {
        manifestStore: signed.manifest,
        manifestStoreJson,
        outputBytes: signed.asset.length,
        outputSha256: createHash('sha256').update(signed.asset).digest('hex'),
      },
      wasmMemoryBytes: memory.buffer.byteLength,
    });
  } finally {
    closeSync(fd);
    builder.free();
  }
}

async function read(job: ReadJob): Promise<void> {
  let reader: c2pa.WasmReader;
  let fd: number | null = null;
  try {
    if ('path' in job.source) {
      fd = openSync(job.source.path, 'r');
      reader = await c2pa.WasmReader.fromBlob('video/mp4', asBlob(SyncBlob.fromFile(fd, fstatSync(fd).size)), job.contextJson);
    } else {
      reader = await c2pa.WasmReader.fromBytes('video/mp4', job.source.bytes, job.contextJson);
    }
  } catch (err) {
    // c2pa-rs throws plain strings such as "C2pa(JumbfNotFound)".
    const text = errorText(err);
    const outcome: ReadOutcome = /JumbfNotFound|ProvenanceMissing/.test(text) ? { kind: 'absent' } : { kind: 'unreadable', reason: text };
    post({ kind: 'read', jobId: job.jobId, outcome, wasmMemoryBytes: memory.buffer.byteLength });
    return;
  } finally {
    if (fd !== null) closeSync(fd);
  }
  try {
    const outcome: ReadOutcome = { kind: 'manifest', manifestStoreJson: reader.json() };
    post({ kind: 'read', jobId: job.jobId, outcome, wasmMemoryBytes: memory.buffer.byteLength });
  } finally {
    reader.free();
  }
}

function asBlob(blob: SyncBlob): Blob {
  return blob as unknown as Blob;
}
