process.env.PROVENANT_PROCESS ??= 'worker';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from './config/app-config';
import { Authenticator } from './modules/auth/authenticator';
import { NestPinoLogger } from './modules/core/nest-pino-logger';
import { exitGracefullyOnSignals } from './modules/core/graceful-exit';
import { logger } from './modules/core/logger';
import { exitPortInUse, isPortInUse } from './modules/core/port-in-use';
import { Readiness } from './modules/ops/readiness';
import { listenForProbes } from './modules/ops/worker-probe-server';
import { WorkerModule } from './worker.module';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const probes =
    config.WORKER_PORT > 0
      ? await listenForProbes(config.WORKER_HOST, config.WORKER_PORT).catch((err: unknown) => {
          if (isPortInUse(err)) exitPortInUse('WORKER_PORT', config.WORKER_HOST, config.WORKER_PORT);
          throw err;
        })
      : null;
  const app = await NestFactory.createApplicationContext(WorkerModule, { logger: new NestPinoLogger() });
  exitGracefullyOnSignals(app);
  probes?.serve({ readiness: app.get(Readiness), authenticator: app.get(Authenticator) });
  logger.info({ workerHost: config.WORKER_HOST, workerPort: config.WORKER_PORT }, 'worker started');
}

main().catch((err) => {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'worker failed to start');
  process.exit(1);
});
