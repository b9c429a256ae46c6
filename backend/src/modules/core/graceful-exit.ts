import type { INestApplicationContext } from '@nestjs/common';
import { logger } from './logger';

/**
 * On SIGTERM/SIGINT: run Nest's shutdown hooks (workers finish or hand back
 * their jobs, connections close), then exit 0, so orchestrators see a clean stop.
 */
export function exitGracefullyOnSignals(app: INestApplicationContext): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down');
      app.close().then(
        () => process.exit(0),
        (err: Error) => {
          logger.error({ err: err.message }, 'unclean shutdown');
          process.exit(1);
        },
      );
    });
  }
}
