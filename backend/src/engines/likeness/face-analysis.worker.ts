import { parentPort } from 'node:worker_threads';
import { HumanFaceEngine } from './human-face-engine';
import type { AnalysisReply, AnalysisRequest } from './face-analyzer';

/**
 * One analysis thread: loads the models once (local files only; the thread's
 * `fetch` refuses anything else) and analyses the pictures it is sent, one at a time.
 */
const port = parentPort!;
const ready = HumanFaceEngine.load();
ready.then(
  (engine) => port.postMessage({ kind: 'ready', modelVersion: engine.modelVersion } satisfies AnalysisReply),
  (err: Error) => port.postMessage({ kind: 'load-failed', message: err.stack ?? String(err) } satisfies AnalysisReply),
);

let queue: Promise<void> = Promise.resolve();
port.on('message', (request: AnalysisRequest) => {
  queue = queue.then(async () => {
    const started = performance.now();
    try {
      const engine = await ready;
      const faces = await engine.analyse({ width: request.width, height: request.height, data: new Uint8Array(request.data) }, request.options);
      const reply: AnalysisReply = { kind: 'faces', id: request.id, faces, ms: performance.now() - started };
      port.postMessage(reply, faces.flatMap((f) => (f.embedding ? [f.embedding.buffer as ArrayBuffer] : [])));
    } catch (err) {
      const e = err as Error;
      port.postMessage({ kind: 'error', id: request.id, name: e.name, message: e.message } satisfies AnalysisReply);
    }
  });
});
