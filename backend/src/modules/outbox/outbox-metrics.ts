import { Counter } from 'prom-client';
import { metricsRegistry } from '../core/metrics';

export const jobsRedispatchedTotal = new Counter({
  name: 'provenant_jobs_redispatched_total',
  help: 'Jobs the sweeps found lost (missing from Redis, or ended without their work recorded) and dispatched again, by queue and fate',
  labelNames: ['queue', 'fate'] as const,
  registers: [metricsRegistry],
});
