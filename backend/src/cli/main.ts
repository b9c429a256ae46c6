import { Command, CommanderError } from 'commander';
import { asCliError, CliError, EXIT, takeNegativeVerdict } from './cli-context';
import { registerAdminCommands } from './commands/admin.command';
import { registerAuditCommands } from './commands/audit.command';
import { registerClipsCommands } from './commands/clips.command';
import { registerLikenessCommands } from './commands/likeness.command';
import { registerModerateCommands } from './commands/moderate.command';
import { registerReviewCommands } from './commands/review.command';
import { registerVerifyCommands } from './commands/verify.command';
import { registerWatermarkCommands } from './commands/watermark.command';

/** `provenant`: the command-line client. Each command group registers itself here. */
export function buildProgram(): Command {
  const program = new Command('provenant')
    .description('Provenant: provenance and safety review for AI-generated video')
    .option('--server <url>', 'api base URL (env PROVENANT_SERVER, default http://127.0.0.1:3000)')
    .option('--token <token>', 'access token or API key (env PROVENANT_TOKEN)')
    .option('--email <email>', 'log in with this e-mail (env PROVENANT_EMAIL)')
    .option('--password <password>', 'and this password (env PROVENANT_PASSWORD)')
    .option('--json', 'print one JSON object on stdout')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerClipsCommands(program);
  registerReviewCommands(program);
  registerAdminCommands(program);
  registerLikenessCommands(program);
  registerAuditCommands(program);
  registerModerateCommands(program);
  registerVerifyCommands(program);
  registerWatermarkCommands(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return takeNegativeVerdict() ? EXIT.negativeVerdict : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const failure = asCliError(err) ?? (err as Error);
    // One line: a library's multi-line message would break scripts that read stderr.
    process.stderr.write(`provenant: ${failure.message.split('\n')[0]}\n`);
    // Only a CliError chooses the exit code: another error's `exitCode` (ffmpeg's, a child process's) is not ours.
    return failure instanceof CliError ? failure.exitCode : EXIT.server;
  }
}
