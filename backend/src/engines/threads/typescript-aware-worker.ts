import { Worker, WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker thread from a module path. Built code (`dist/`) runs the
 * `.js` file directly. Tests run the TypeScript sources, which Node 20 cannot
 * load, so there the worker first registers a `.ts` loader that compiles each
 * module with swc (a dev dependency, present wherever the sources are).
 */
export function startTypeScriptAwareWorker(entry: string, options: WorkerOptions): Worker {
  if (!entry.endsWith('.ts')) return new Worker(entry, options);
  const swcPath = require.resolve('@swc/core');
  const bootstrap = `
    const { readFileSync } = require('node:fs');
    const swc = require(${JSON.stringify(swcPath)});
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(readFileSync(filename, 'utf8'), {
        filename,
        swcrc: false,
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      });
      module._compile(code, filename);
    };
    require(${JSON.stringify(entry)});
  `;
  return new Worker(bootstrap, { ...options, eval: true });
}
