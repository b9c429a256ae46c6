import { Registry, collectDefaultMetrics } from 'prom-client';

/** This process's Prometheus registry; the api and each worker expose their own at /metrics. Modules register their own metrics in it. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'provenant_process_' });
