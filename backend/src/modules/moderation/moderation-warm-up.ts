import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { ModelsStatus } from '@provenant/shared';
import { ModerationEngine } from '../../engines/moderation';
import { logger } from '../core/logger';

/**
 * Worker process only: loads the moderation models in the background as the
 * process starts (bootstrap does not wait for them), so the first clip does
 * not pay the model start-up, and tells readiness whether they are loaded.
 * The api does not provide it and so starts no model workers. A failure is
 * logged and reported, never thrown: the stages still load on first use.
 */
@Injectable()
export class ModerationWarmUp implements OnApplicationBootstrap {
  private current: ModelsStatus = 'loading';

  constructor(private readonly engine: ModerationEngine) {}

  get status(): ModelsStatus {
    return this.current;
  }

  onApplicationBootstrap(): void {
    const started = Date.now();
    this.engine.warmUp().then(
      () => {
        this.current = 'ok';
        logger.info({ ms: Date.now() - started }, 'moderation models loaded');
      },
      (err: unknown) => {
        this.current = 'unavailable: models failed to load';
        logger.error({ err: err instanceof Error ? err.message : String(err), ms: Date.now() - started }, 'moderation models failed to load');
      },
    );
  }
}
