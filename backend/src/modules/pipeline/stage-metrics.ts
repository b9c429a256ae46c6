import { Counter, Histogram } from 'prom-client';
import { metricsRegistry } from '../core/metrics';

export const stageDurationSeconds = new Histogram({
  name: 'provenant_stage_duration_seconds',
  help: 'Wall time of pipeline stage runs, by stage and outcome',
  labelNames: ['stage', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  registers: [metricsRegistry],
});

export const stageFailuresTotal = new Counter({
  name: 'provenant_stage_failures_total',
  help: 'Stage attempts that threw, by stage and whether the clip was failed for good',
  labelNames: ['stage', 'final'] as const,
  registers: [metricsRegistry],
});
