process.env.PROVENANT_PROCESS ??= 'worker';
import 'reflect-metadata';
import { createServer } from 'node:http';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from './config/app-config';
import { NestPinoLogger } from './modules/core/nest-pino-logger';
import { exitGracefullyOnSignals } from './modules/core/graceful-exit';
import { logger } from './modules/core/logger';
import { metricsRegistry } from './modules/core/metrics';
import { Readiness } from './modules/ops/readiness';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: new NestPinoLogger() });
  exitGracefullyOnSignals(app);
  const readiness = app.get(Readiness);

  // A small HTTP side door for probes and Prometheus; it serves nothing else.
  if (config.WORKER_PORT > 0) {
    const server = createServer(async (req, res) => {
      if (req.url === '/health/live') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      if (req.url === '/health/ready') {
        const report = await readiness.check();
        return void res.writeHead(report.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(report));
      }
      if (req.url === '/metrics') return void res.writeHead(200, { 'content-type': metricsRegistry.contentType }).end(await metricsRegistry.metrics());
      res.writeHead(404).end();
    });
    server.listen(config.WORKER_PORT, '0.0.0.0');
    server.unref();
  }
  logger.info({ workerPort: config.WORKER_PORT }, 'worker started');
}

main().catch((err) => {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'worker failed to start');
  process.exit(1);
});
