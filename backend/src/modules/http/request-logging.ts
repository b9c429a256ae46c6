import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { Histogram } from 'prom-client';
import { logger } from '../core/logger';
import { metricsRegistry } from '../core/metrics';

const httpRequestDurationSeconds = new Histogram({
  name: 'provenant_http_request_duration_seconds',
  help: 'HTTP request latency by route and status class',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
  registers: [metricsRegistry],
});

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (kept from X-Request-Id when sane), logs it as JSON on completion and times it. */
export function requestLogging(req: Request, res: Response, next: NextFunction): void {
  const incoming = req.headers['x-request-id'];
  const requestId = typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', requestId);
  const start = process.hrtime.bigint();
  res.on('finish', () => {
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    // The matched route pattern keeps ids out of metric labels; the query string (which may hold a cursor) is never logged.
    const route = (req.route?.path as string | undefined) ?? (req.path.startsWith('/api/') ? 'unmatched' : 'static');
    httpRequestDurationSeconds.observe({ method: req.method, route, status: `${Math.floor(res.statusCode / 100)}xx` }, seconds);
    logger.info({ requestId, method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000) }, 'request');
  });
  next();
}
