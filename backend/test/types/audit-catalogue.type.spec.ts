import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

// Appending an audit event outside the typed catalogue must not compile: this compiles a fixture with the
// backend's compiler options and checks that exactly the marked lines are refused.
const FIXTURE = join(__dirname, 'audit-append.fixture.ts');

describe('the audit catalogue', () => {
  it('refuses unknown actions, wrong bodies and wrong subjects at compile time, and accepts a catalogue entry', () => {
    const configFile = ts.readConfigFile(join(__dirname, '../../tsconfig.json'), ts.sys.readFile);
    const options = ts.parseJsonConfigFileContent(configFile.config, ts.sys, join(__dirname, '../..')).options;
    const program = ts.createProgram([FIXTURE], { ...options, noEmit: true });
    const errorLines = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file?.fileName === FIXTURE)
      .map((d) => d.file!.getLineAndCharacterOfPosition(d.start!).line + 1);
    const expected = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .flatMap((line, i) => (line.includes('// EXPECT-ERROR') ? [i + 1] : []));
    expect(expected).toHaveLength(4);
    expect([...new Set(errorLines)].sort((a, b) => a - b)).toEqual(expected);
  }, 120_000);
});
