import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// `npm test` builds first, so backend/dist is what `npm start` and the Docker image run.
const DIST = resolve(__dirname, '../../dist');

/** Specs (`x.spec.js`, `x.e2e.spec.js`), spec helpers (`x.spec-helper.js`) and their source maps. */
const SPEC_FILE = /\.spec[.-]/;
/** Test data, e.g. backend/fixtures, which the specs and the bench read from the package root instead. */
const FIXTURE = /fixture/i;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [relative(DIST, path)];
  });
}

describe('backend/dist', () => {
  it('holds the built entry points', () => {
    expect(existsSync(join(DIST, 'src/main-api.js'))).toBe(true);
    expect(existsSync(join(DIST, 'src/cli/main.js'))).toBe(true);
  });

  it('holds no specs, spec helpers or fixtures (see the exclude list in tsconfig.build.json)', () => {
    const testOnly = filesUnder(DIST).filter((file) => SPEC_FILE.test(file) || FIXTURE.test(file));
    expect(testOnly).toEqual([]);
  });
});
