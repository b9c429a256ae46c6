#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` builds it (root prepare script), as does `npm run build`.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const entry = join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('provenant: the CLI is not built yet; run `npm run build` in the repository root\n');
  process.exit(2);
}
require(entry)
  .runCli(process.argv.slice(2))
  .then((code) => process.exit(code));
