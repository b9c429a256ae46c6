import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** This process's Prometheus registry; the api and each worker expose their own at /metrics. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'provenant_process_' });

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

export const httpRequestDurationSeconds = new Histogram({
  name: 'provenant_http_request_duration_seconds',
  help: 'HTTP request latency by route and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [metricsRegistry],
});

export const webhookDeliveriesTotal = new Counter({
  name: 'provenant_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (delivered, retry, gave_up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
