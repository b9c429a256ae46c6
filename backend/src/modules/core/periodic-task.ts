import { logger } from './logger';

/**
 * Runs `run` every `intervalMs` (after each run finishes, so turns never
 * overlap) until stopped. A failing turn is retried at the next one; the
 * first failure of a streak and the recovery are logged, not every turn.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private failures = 0;

  constructor(
    private readonly name: string,
    private readonly intervalMs: number,
    private readonly run: () => Promise<unknown>,
  ) {}

  start(): void {
    if (this.stopped) return;
    this.timer = setTimeout(async () => {
      try {
        await this.run();
        if (this.failures > 0) logger.info({ task: this.name, failedTurns: this.failures }, 'periodic task working again');
        this.failures = 0;
      } catch (err) {
        if (this.failures++ === 0) logger.warn({ task: this.name, err: (err as Error).message }, 'periodic task failed; will retry');
      }
      this.start();
    }, this.intervalMs);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
