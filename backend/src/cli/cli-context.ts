import type { Command } from 'commander';

/** A failure to report on stderr with a non-zero exit (2 for usage, 1 otherwise). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
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
    if (!res.ok) throw new CliError(`server answered ${res.status}: ${parsed?.message ?? res.statusText}`);
    return parsed as T;
  }

  private async login(): Promise<void> {
    if (!this.options.email || !this.options.password) {
      throw new CliError('no credentials: pass --token (or PROVENANT_TOKEN), or --email and --password (or PROVENANT_EMAIL / PROVENANT_PASSWORD)', 2);
    }
    const res = await this.fetch('POST', '/api/v1/auth/login', { email: this.options.email, password: this.options.password });
    const body = (await res.json().catch(() => null)) as { accessToken?: string; message?: string } | null;
    if (!res.ok || !body?.accessToken) throw new CliError(`login failed: ${body?.message ?? res.status}`);
    this.token = body.accessToken;
  }

  private async fetch(method: string, path: string, body: unknown, token?: string): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers[token.startsWith('pvk_') ? 'x-api-key' : 'authorization'] = token.startsWith('pvk_') ? token : `Bearer ${token}`;
    try {
      return await fetch(`${this.options.server}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new CliError(`cannot reach ${this.options.server}: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
    }
  }
}

/** Prints one JSON object with --json, else the human rendering. */
export function output(json: boolean | undefined, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value)}\n` : `${human()}\n`);
}
