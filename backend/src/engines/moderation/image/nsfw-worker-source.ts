/**
 * Source of the worker thread that runs nsfwjs on the tfjs wasm backend. It
 * is plain JavaScript evaluated by `new Worker(src, { eval: true })`, so it
 * runs the same from ts sources under jest and from compiled dist; module
 * paths come in through workerData, resolved by the parent.
 */
export const NSFW_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const tf = require(workerData.tfjsPath);
const wasm = require(workerData.wasmBackendPath);
wasm.setWasmPaths(workerData.wasmDir);
const nsfwjs = require(workerData.nsfwjsPath);
const ready = (async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  return nsfwjs.load(workerData.modelName, { size: workerData.size });
})();
ready.then(
  () => parentPort.postMessage({ type: 'ready' }),
  (err) => parentPort.postMessage({ type: 'fatal', message: String((err && err.stack) || err) }),
);
parentPort.on('message', async ({ id, pixels }) => {
  try {
    const model = await ready;
    const input = tf.tensor3d(pixels, [workerData.size, workerData.size, 3], 'int32');
    try {
      const predictions = await model.classify(input, 5);
      parentPort.postMessage({ type: 'result', id, predictions });
    } finally {
      input.dispose();
    }
  } catch (err) {
    parentPort.postMessage({ type: 'error', id, message: String((err && err.message) || err) });
  }
});
`;
