import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the face models and the tfjs wasm binaries are, inside installed npm packages (nothing is downloaded). */
export interface ModelFiles {
  humanVersion: string;
  /** dist/human.node-wasm.js, required by path (the package's exports map does not expose it to require()). */
  humanEntry: string;
  /** The package's models/ directory (blazeface, facemesh, faceres). */
  modelsDir: string;
  /** @tensorflow/tfjs-backend-wasm's dist/ directory (the .wasm files). */
  wasmDir: string;
}

export function locateModelFiles(): ModelFiles {
  // The exports map hides package.json and dist/human.node-wasm.js from require(): resolve the main
  // entry (dist/human.node.js) and walk up to the package directory.
  let humanDir = dirname(require.resolve('@vladmandic/human'));
  while (!existsSync(join(humanDir, 'package.json')) && humanDir !== dirname(humanDir)) humanDir = dirname(humanDir);
  const humanPkg = join(humanDir, 'package.json');
  const humanVersion = (JSON.parse(readFileSync(humanPkg, 'utf8')) as { version: string }).version;
  const wasmEntry = require.resolve('@tensorflow/tfjs-backend-wasm');
  // The main entry is dist/index.js or dist/tf-backend-wasm.node.js; the .wasm files sit in dist/.
  let wasmDir = dirname(wasmEntry);
  while (!existsSync(join(wasmDir, 'tfjs-backend-wasm-simd.wasm')) && wasmDir !== dirname(wasmDir)) wasmDir = dirname(wasmDir);
  const files: ModelFiles = { humanVersion, humanEntry: join(humanDir, 'dist/human.node-wasm.js'), modelsDir: join(humanDir, 'models'), wasmDir };
  for (const f of [files.humanEntry, join(files.modelsDir, 'blazeface.json'), join(files.modelsDir, 'facemesh.json'), join(files.modelsDir, 'faceres.json'), join(files.wasmDir, 'tfjs-backend-wasm.wasm')]) {
    if (!existsSync(f)) throw new Error(`likeness engine: missing model file ${f} (is @vladmandic/human ${humanVersion} installed with its models?)`);
  }
  return files;
}
