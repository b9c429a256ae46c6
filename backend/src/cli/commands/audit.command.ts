import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import type { AuditVerificationDto } from '@provenant/shared';
import { verifyExport } from '../../engines/merkle-log';
import { ApiClient, CliError, output, serverOptions } from '../cli-context';

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
        if (!opts.publicKey) throw new CliError('--export needs --public-key', 2);
        const pem = await readFile(opts.publicKey, 'utf8').catch((e: Error) => Promise.reject(new CliError(`cannot read ${opts.publicKey}: ${e.message}`, 2)));
        const stream = createReadStream(opts.export);
        const opened = new Promise<void>((resolve, reject) => (stream.once('open', () => resolve()), stream.once('error', reject)));
        await opened.catch((e: Error) => Promise.reject(new CliError(`cannot read ${opts.export}: ${e.message}`, 2)));
        result = await verifyExport(createInterface({ input: stream, crlfDelay: Infinity }), pem);
      } else {
        result = await new ApiClient(o).request<AuditVerificationDto>('GET', '/api/v1/audit/verify');
      }
      output(o.json, result, () => describe(result));
      if (!result.ok) process.exitCode = 1;
    });
}
