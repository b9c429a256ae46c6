import { createServer, IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';

/**
 * A small loopback HTTP server that stands in for a third-party API in tests.
 *
 *   const server = await FakeHttpServer.start();
 *   server.route('POST', /^\/v1\/videos$/, async (req) => ({ status: 200, json: { id: 'video_1' } }));
 *   // point the client under test at server.url, then inspect server.requests
 *   await server.close();
 *
 * Routes are matched against the path without the query string. The most
 * recently registered matching route wins, so a test can override a default
 * route for one scenario. Unmatched requests get a 404 JSON body.
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/videos/video_1`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeResponse {
  status?: number;
  /** Serialised as the body with content-type application/json. */
  json?: unknown;
  /** Raw body; content-type defaults to application/octet-stream. */
  buffer?: Buffer;
  /** Plain-text body. */
  text?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (the wait is cut short by close()). */
  delayMs?: number;
  /** Never answer: the socket stays open until the client gives up or close() runs. */
  hang?: boolean;
}

/** `match` is the RegExp match of the route against the path, for capture groups. */
export type FakeHandler = (
  req: RecordedRequest,
  body: Buffer,
  match: RegExpExecArray,
) => FakeResponse | Promise<FakeResponse>;

interface Route {
  method: string;
  pattern: RegExp;
  handler: FakeHandler;
}

export class FakeHttpServer {
  /** Every request received, in arrival order (recorded before the handler runs). */
  readonly requests: RecordedRequest[] = [];
  private readonly routes: Route[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly pendingTimers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeHttpServer> {
    let instance: FakeHttpServer | undefined;
    const server = createServer((req, res) => {
      void instance!.handle(req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    instance = new FakeHttpServer(server, `http://127.0.0.1:${port}`);
    server.on('connection', (socket) => {
      instance!.sockets.add(socket);
      socket.on('close', () => instance!.sockets.delete(socket));
    });
    return instance;
  }

  route(method: string, pattern: RegExp | string, handler: FakeHandler): void {
    const regexp = typeof pattern === 'string' ? new RegExp(`^${escapeRegExp(pattern)}$`) : pattern;
    this.routes.unshift({ method: method.toUpperCase(), pattern: regexp, handler });
  }

  /** Requests whose method and path match, e.g. `server.requestsTo('GET', /^\/v1\/videos\//)`. */
  requestsTo(method: string, pattern: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && pattern.test(r.path));
  }

  async close(): Promise<void> {
    for (const pending of this.pendingTimers) {
      clearTimeout(pending.timer);
      pending.resolve();
    }
    this.pendingTimers.clear();
    // Hung requests keep their sockets open; destroy them so close() resolves.
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const body = await readBody(req);
      const parsed = new URL(req.url ?? '/', this.url);
      const recorded: RecordedRequest = {
        method: (req.method ?? 'GET').toUpperCase(),
        path: parsed.pathname,
        query: parsed.searchParams,
        headers: req.headers,
        body,
      };
      this.requests.push(recorded);
      const found = this.findRoute(recorded);
      const response = found
        ? await found.route.handler(recorded, body, found.match)
        : { status: 404, json: { error: { message: `no fake route for ${recorded.method} ${recorded.path}` } } };
      if (response.hang) return;
      if (response.delayMs) await this.sleep(response.delayMs);
      if (res.destroyed) return;
      send(res, response);
    } catch (err) {
      if (!res.headersSent && !res.destroyed) {
        send(res, { status: 500, json: { error: { message: `fake handler threw: ${(err as Error).message}` } } });
      }
    }
  }

  private findRoute(req: RecordedRequest): { route: Route; match: RegExpExecArray } | undefined {
    for (const route of this.routes) {
      if (route.method !== req.method) continue;
      route.pattern.lastIndex = 0;
      const match = route.pattern.exec(req.path);
      if (match) return { route, match };
    }
    return undefined;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const pending = {
        resolve,
        timer: setTimeout(() => {
          this.pendingTimers.delete(pending);
          resolve();
        }, ms),
      };
      this.pendingTimers.add(pending);
    });
  }
}

function send(res: ServerResponse, response: FakeResponse): void {
  const headers: Record<string, string> = { ...response.headers };
  let payload: Buffer = Buffer.alloc(0);
  if (response.json !== undefined) {
    payload = Buffer.from(JSON.stringify(response.json));
    headers['content-type'] ??= 'application/json';
  } else if (response.buffer) {
    payload = response.buffer;
    headers['content-type'] ??= 'application/octet-stream';
  } else if (response.text !== undefined) {
    payload = Buffer.from(response.text);
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  }
  headers['content-length'] = String(payload.length);
  res.writeHead(response.status ?? 200, headers);
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
