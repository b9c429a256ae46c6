import { parentPort, workerData } from 'node:worker_threads';
import { LumaMarker } from './luma-marker';
import type { MarkedFrame, MarkingWorkerData } from './frame-marking-pool';

/**
 * Worker-thread side of FrameMarkingPool: marks the luma of each frame it is
 * handed, in place, and hands the same memory back (both ways transferred,
 * never copied). The pattern is shared memory, read-only here.
 */

const port = parentPort;
if (!port) throw new Error('luma-marking.worker must run in a worker thread');

const { width, height, pattern, strength } = workerData as MarkingWorkerData;
const marker = new LumaMarker(width, height, pattern, strength);

port.on('message', (frame: ArrayBuffer) => {
  const started = performance.now();
  marker.mark(new Uint8Array(frame, 0, width * height));
  const reply: MarkedFrame = { frame, markingMs: performance.now() - started };
  port.postMessage(reply, [frame]);
});
