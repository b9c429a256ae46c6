import { Counter } from 'prom-client';
import { metricsRegistry } from '../core/metrics';

export const webhookDeliveriesTotal = new Counter({
  name: 'provenant_webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome (delivered, retry, gave_up)',
  labelNames: ['outcome'] as const,
  registers: [metricsRegistry],
});
