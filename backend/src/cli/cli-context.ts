import type { Command } from 'commander';
import { ProvenantApiError, ProvenantClient, ProvenantNetworkError } from '@provenant/shared';

/**
 * Every command's exit codes, so a script can branch on them:
 * 0 success; 1 a negative verdict to act on (a leak, an Invalid manifest or
 * unknown origin, a block, a tampered log, no watermark); 2 a usage error
 * (flag, missing or unreadable file, input the server refused as invalid);
 * 3 the server or the network failed; 4 authentication failed.
 */
export const EXIT = { ok: 0, negativeVerdict: 1, usage: 2, server: 3, auth: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

let negativeVerdict = false;

/** The command's answer is a negative verdict (exit 1 once it has been printed): a leak, a block, tampering, no mark. */
export function markNegativeVerdict(): void {
  negativeVerdict = true;
}

/** For runCli: whether the command just run marked a negative verdict (and reset it). */
export function takeNegativeVerdict(): boolean {
  const marked = negativeVerdict;
  negativeVerdict = false;
  return marked;
}

/** A failure to report on stderr, one line, with its exit code (EXIT). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.server,
  ) {
    super(message);
  }
}

/** What an HTTP error answer means for the exit code: 401/403 authentication, other 4xx the caller's input, 5xx the server. */
export function httpFailure(status: number, message: string): CliError {
  const code = status === 401 || status === 403 ? EXIT.auth : status >= 400 && status < 500 ? EXIT.usage : EXIT.server;
  return new CliError(`server answered ${status}: ${message}`, code);
}

/** `cannot read FILE: CODE`, a usage error. */
export function unreadable(file: string, err: NodeJS.ErrnoException): CliError {
  return new CliError(`cannot read ${file}: ${err.code ?? err.message}`, EXIT.usage);
}

export interface ServerOptions {
  server: string;
  token?: string;
  email?: string;
  password?: string;
  json?: boolean;
}

/** Connection settings from the global flags, falling back to PROVENANT_* environment variables. */
export function serverOptions(cmd: Command): ServerOptions {
  const o = cmd.optsWithGlobals() as Partial<ServerOptions>;
  return {
    server: (o.server ?? process.env.PROVENANT_SERVER ?? 'http://127.0.0.1:3000').replace(/\/$/, ''),
    token: o.token ?? process.env.PROVENANT_TOKEN,
    email: o.email ?? process.env.PROVENANT_EMAIL,
    password: o.password ?? process.env.PROVENANT_PASSWORD,
    json: o.json,
  };
}

/** The typed API client for these connection settings. */
export function clientFor(options: ServerOptions): ProvenantClient {
  return new ProvenantClient(options);
}

/** The exit code an error means (EXIT); the one place the CLI maps API and network failures. */
export function asCliError(err: unknown): CliError | null {
  if (err instanceof CliError) return err;
  if (err instanceof ProvenantNetworkError) return new CliError(err.message, EXIT.server);
  if (err instanceof ProvenantApiError) {
    if (/^(no credentials|login failed)/.test(err.message)) return new CliError(err.message, EXIT.auth);
    return httpFailure(err.status, err.message);
  }
  return null;
}

/** Prints one JSON object with --json, else the human rendering. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}
