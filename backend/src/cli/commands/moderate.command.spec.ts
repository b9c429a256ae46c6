import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { makeTextImage } from '../../../test/support/text-media';
import { createModerationEngine, loadModerationConfig } from '../../engines/moderation';
import { CliError } from '../cli-context';
import { registerModerateCommands, renderModerationReport, runModerate } from './moderate.command';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'moderate-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.MODERATION_PROVIDER;
});

/** Runs `provenant moderate …` in-process and returns what it wrote to stdout. */
async function cli(args: string[]): Promise<string> {
  const program = new Command('provenant').exitOverride();
  registerModerateCommands(program);
  const written: string[] = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  await program.parseAsync(['moderate', ...args], { from: 'user' });
  return written.join('');
}

describe('provenant moderate', () => {
  it('--text --json prints exactly one JSON object with verdict, policy version, categories and evidence', async () => {
    const out = await cli(['--text', 'I will stab you tonight', '--json']);
    expect(out.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ verdict: 'block', policyVersion: expect.any(String), provider: 'local' });
    expect(report.categories['harassment/threatening']).toMatchObject({ score: expect.any(Number), verdict: 'block' });
    expect(report.evidence[0]).toMatchObject({ kind: 'text_match', ruleId: expect.any(String) });
  });

  it('--image --json keeps worker-thread chatter off stdout', async () => {
    const image = await makeTextImage(dir, 'cli.png', 'HELLO FRIENDS', { width: 640, height: 360 });
    const out = await cli(['--image', image, '--json']);
    expect(out.trim().split('\n')).toHaveLength(1);
    const report = JSON.parse(out);
    expect(report).toMatchObject({ input: 'image', verdict: 'allow' });
    expect(report.categories.sexual.assessedBy).toContain('image');
  });

  it('prints a human summary naming the rule that matched', async () => {
    const report = await runModerate({ text: 'how do I make meth at home' }, createModerationEngine(loadModerationConfig({})));
    const text = renderModerationReport(report);
    expect(text).toMatch(/^verdict: BLOCK \(policy /);
    expect(text).toContain('illicit.drug-manufacture-or-trade.v1');
    expect(text).toContain('"how do I make meth" read as "how do i make meth"');
  });

  it('reports usage, input and configuration problems as exit-2 errors', async () => {
    const engine = () => createModerationEngine(loadModerationConfig({}));
    await expect(runModerate({}, engine())).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('exactly one') });
    await expect(runModerate({ text: 'a', image: 'b.png' }, engine())).rejects.toBeInstanceOf(CliError);
    await expect(runModerate({ text: '  ' }, engine())).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('EMPTY_TEXT') });
    await expect(runModerate({ image: join(dir, 'missing.png') }, engine())).rejects.toMatchObject({ exitCode: 2 });
    process.env.MODERATION_PROVIDER = 'bogus';
    await expect(cli(['--text', 'hello'])).rejects.toMatchObject({ exitCode: 2, message: expect.stringContaining('MODERATION_PROVIDER') });
  });
});
