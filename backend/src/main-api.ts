process.env.PROVENANT_PROCESS ??= 'api';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { ApiModule } from './api.module';
import { loadConfigOrExit } from './config/app-config';
import { apiDocument } from './modules/http/api-document';
import { ErrorResponseFilter } from './modules/http/error-response.filter';
import { NestPinoLogger } from './modules/core/nest-pino-logger';
import { exitGracefullyOnSignals } from './modules/core/graceful-exit';
import { logger } from './modules/core/logger';
import { exitPortInUse, isPortInUse } from './modules/core/port-in-use';
import { requestLogging } from './modules/http/request-logging';
import { securityHeaders } from './modules/http/security-headers';

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, { logger: new NestPinoLogger(), bodyParser: false });
  // Which peer is the client: the socket's, unless TRUST_PROXY names it a proxy (then X-Forwarded-For's). Login throttling counts by it.
  if (config.TRUST_PROXY !== undefined) app.set('trust proxy', config.TRUST_PROXY);
  app.disable('x-powered-by');
  app.use(requestLogging);
  app.use(securityHeaders);
  app.useGlobalFilters(new ErrorResponseFilter(app.getHttpAdapter()));
  // JSON bodies may carry a base64 reference image: allow its size plus the prompt.
  app.use('/api', express.json({ limit: Math.ceil((config.MAX_REFERENCE_IMAGE_BYTES * 4) / 3) + 64 * 1024 }));
  exitGracefullyOnSignals(app);

  SwaggerModule.setup('api/docs', app, () => apiDocument(app));

  const consoleDir = resolve(config.CONSOLE_DIR ?? join(__dirname, '../../../frontend/dist/browser'));
  if (existsSync(join(consoleDir, 'index.html'))) {
    app.useStaticAssets(consoleDir, { index: false, fallthrough: true });
    // Client-side routes of the console get its index.html; API paths never do.
    app.use((req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (req.method !== 'GET' || /^\/(api|health|metrics)(\/|$)/.test(req.path)) return next();
      res.sendFile(join(consoleDir, 'index.html'));
    });
  } else {
    logger.warn({ consoleDir }, 'review console not built; run `npm run build` to serve it at /');
  }

  try {
    await app.listen(config.PORT, '0.0.0.0');
  } catch (err) {
    if (!isPortInUse(err)) throw err;
    await app.close().catch(() => undefined);
    exitPortInUse('PORT', '0.0.0.0', config.PORT);
  }
  logger.info({ port: config.PORT }, 'api listening');
}

main().catch((err) => {
  logger.fatal({ err: err instanceof Error ? err.message : String(err) }, 'api failed to start');
  process.exit(1);
});
