import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A `fetch` that serves files under the given directories and refuses
 * everything else (any other scheme, host or path). Node 20's own `fetch`
 * cannot read `file://`, which both Human's model loader and the tfjs wasm
 * backend use; this is installed as the global `fetch` inside analysis worker
 * threads only (see face-analysis.worker.ts), so the face engine can never
 * reach the network, and nothing outside its own threads is affected.
 */
export type LocalFetch = (input: string | URL | { url: string }, init?: unknown) => Promise<Response>;

export class LocalFetchRefused extends Error {
  constructor(url: string, why: string) {
    super(`likeness engine fetch refused ${JSON.stringify(url.slice(0, 200))}: ${why}`);
    this.name = 'LocalFetchRefused';
  }
}

export function createLocalFetch(allowedDirs: readonly string[]): LocalFetch {
  if (allowedDirs.length === 0 || allowedDirs.some((d) => !isAbsolute(d))) throw new Error('createLocalFetch needs absolute directories');
  const roots = Promise.all(allowedDirs.map((d) => realpath(d)));
  return async (input) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new LocalFetchRefused(url, 'not an absolute URL');
    }
    if (parsed.protocol !== 'file:') throw new LocalFetchRefused(url, `only file:// URLs are served, not ${parsed.protocol}`);
    if (parsed.host !== '' && parsed.host !== 'localhost') throw new LocalFetchRefused(url, 'file URLs with a host are not served');
    let path: string;
    try {
      path = await realpath(fileURLToPath(parsed));
    } catch {
      throw new LocalFetchRefused(url, 'no such file');
    }
    const inside = (await roots).some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
    });
    if (!inside) throw new LocalFetchRefused(url, 'outside the model and wasm directories');
    const body = await readFile(path);
    const type = path.endsWith('.json') ? 'application/json' : path.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream';
    return new Response(body, { status: 200, headers: { 'content-type': type } });
  };
}
