import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AuditVerificationDto } from '@provenant/shared';
import { verifyExport } from '../../engines/merkle-log';
import { CliError, clientFor, EXIT, markNegativeVerdict, output, serverOptions, unreadable } from '../cli-context';

function describe(result: AuditVerificationDto): string {
  if (result.ok) return `audit log verified: ${result.checkedEvents} events, signed tree size ${result.signedTreeSize}`;
  const p = result.firstProblem!;
  return `AUDIT LOG TAMPERED: ${p.kind} at seq ${p.seq ?? '?'}: ${p.message} (${result.checkedEvents} events checked)`;
}

export function registerAuditCommands(program: Command): void {
  const audit = program.command('audit').description('verify the tamper-evident audit log');

  audit
    .command('verify')
    .description('recompute the log on the server, or check an export offline with --export and --public-key')
    .option('--export <file>', 'JSONL export to verify offline (no database or server needed)')
    .option('--public-key <file>', 'PEM public key of the log (GET /api/v1/audit/public-key)')
    .action(async (opts: { export?: string; publicKey?: string }, cmd: Command) => {
      const o = serverOptions(cmd);
      let result: AuditVerificationDto;
      if (opts.export) {
        if (!opts.publicKey) throw new CliError('--export needs --public-key', EXIT.usage);
        const pem = await readFile(opts.publicKey, 'utf8').catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(opts.publicKey!, e)));
        if (!pem.includes('-----BEGIN PUBLIC KEY-----')) throw new CliError(`--public-key ${opts.publicKey} is not a PEM public key`, EXIT.usage);
        const stream = createReadStream(opts.export);
        const opened = new Promise<void>((resolve, reject) => (stream.once('open', () => resolve()), stream.once('error', reject)));
        await opened.catch((e: NodeJS.ErrnoException) => Promise.reject(unreadable(opts.export!, e)));
        result = await verifyExport(createInterface({ input: stream, crlfDelay: Infinity }), pem);
        refuseOperatorMistakes(result, opts.export, opts.publicKey);
      } else {
        result = await clientFor(o).verifyAuditLog();
      }
      output(o.json, result, () => describe(result));
      if (!result.ok) markNegativeVerdict();
    });
}

/**
 * Not an export at all, or a key none of its checkpoints was signed with, is
 * the operator's mistake (exit 2), not evidence of tampering: the first
 * record must be the header, and the first checkpoint (line 2) must verify.
 */
function refuseOperatorMistakes(result: AuditVerificationDto, file: string, keyFile: string): void {
  const problem = result.firstProblem;
  if (result.ok || !problem) return;
  if (problem.kind === 'malformed' && /^line 1\b|no header/.test(problem.message)) {
    throw new CliError(`${file} is not an audit export (${problem.message})`, EXIT.usage);
  }
  if (problem.kind === 'bad-signature' && /^line 2\b/.test(problem.message)) {
    throw new CliError(`the export's first checkpoint is not signed by the key in ${keyFile}: the wrong --public-key, or an export of another log`, EXIT.usage);
  }
}
