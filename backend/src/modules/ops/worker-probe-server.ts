import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Authenticator } from '../auth/authenticator';
import { logger } from '../core/logger';
import { metricsRegistry } from '../core/metrics';
import { METRICS_ROLES } from './metrics-access';
import type { Readiness } from './readiness';

export interface ProbeAnswerers {
  readiness: Readiness;
  authenticator: Authenticator;
}

/**
 * The worker's HTTP side door (WORKER_HOST:WORKER_PORT) for probes and Prometheus; it serves nothing else.
 * It binds before the worker starts (a taken port stops the process before it takes any job) and holds
 * requests until `serve` hands it the worker's readiness. /health/live and /health/ready are open, as
 * on the api; /metrics needs the api's /metrics credential (an admin's access token).
 */
export async function listenForProbes(host: string, port: number): Promise<{ serve(answerers: ProbeAnswerers): void }> {
  let serve!: (answerers: ProbeAnswerers) => void;
  const answerers = new Promise<ProbeAnswerers>((resolve) => (serve = resolve));
  const server = createServer((req, res) => {
    answerers
      .then((a) => answer(a, req, res))
      .catch((err: Error) => {
        logger.error({ err: err.message, path: req.url }, 'worker probe failed');
        if (!res.headersSent) res.writeHead(500).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err: err.message }, 'worker probe server error'));
  server.unref();
  return { serve };
}

async function answer({ readiness, authenticator }: ProbeAnswerers, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.url === '/health/live') return json(res, 200, { status: 'ok' });
  if (req.url === '/health/ready') {
    const report = await readiness.check();
    return json(res, report.status === 'ok' ? 200 : 503, report);
  }
  if (req.url === '/metrics') {
    const access = await authenticator.authorize(req.headers, METRICS_ROLES);
    if ('refused' in access) return json(res, access.refused, { statusCode: access.refused, message: access.message });
    return void res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
  }
  res.writeHead(404).end();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
