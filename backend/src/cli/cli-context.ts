import type { Command } from 'commander';

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

/** Calls the api with a bearer token or API key, logging in first when e-mail and password are given. */
export class ApiClient {
  private token: string | undefined;

  constructor(private readonly options: ServerOptions) {
    this.token = options.token;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.token) await this.login();
    const res = await this.fetch(method, path, body, this.token);
    const parsed = (await res.json().catch(() => null)) as (T & { message?: string }) | null;
    if (!res.ok) throw httpFailure(res.status, parsed?.message ?? res.statusText);
    return parsed as T;
  }

  /** The Authorization or X-API-Key header for this caller, logging in first when needed (multipart uploads set their own body). */
  async authHeaders(): Promise<Record<string, string>> {
    if (!this.token) await this.login();
    return credentialHeader(this.token!);
  }

  private async login(): Promise<void> {
    if (!this.options.email || !this.options.password) {
      throw new CliError('no credentials: pass --token (or PROVENANT_TOKEN), or --email and --password (or PROVENANT_EMAIL / PROVENANT_PASSWORD)', EXIT.auth);
    }
    const res = await this.fetch('POST', '/api/v1/auth/login', { email: this.options.email, password: this.options.password });
    const body = (await res.json().catch(() => null)) as { accessToken?: string; message?: string } | null;
    if (res.status >= 500) throw httpFailure(res.status, body?.message ?? res.statusText);
    if (!res.ok || !body?.accessToken) throw new CliError(`login failed: ${body?.message ?? res.status}`, EXIT.auth);
    this.token = body.accessToken;
  }

  private async fetch(method: string, path: string, body: unknown, token?: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? credentialHeader(token) : {}) };
    return this.send(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  }

  /** One request to the api; a network failure is EXIT.server. */
  async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(`${this.options.server}${path}`, init);
    } catch (err) {
      throw new CliError(`cannot reach ${this.options.server}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`, EXIT.server);
    }
  }
}

const credentialHeader = (token: string): Record<string, string> => (token.startsWith('pvk_') ? { 'x-api-key': token } : { authorization: `Bearer ${token}` });

/** Prints one JSON object with --json, else the human rendering. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}
