import { Counter } from 'prom-client';
import { metricsRegistry } from '../core/metrics';

export const clipsReachedTotal = new Counter({
  name: 'provenant_clip_transitions_total',
  help: 'Clip state changes made by this process, by state entered (counted in the changing transaction; a rollback still counts)',
  labelNames: ['state'] as const,
  registers: [metricsRegistry],
});
