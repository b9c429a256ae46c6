import { Catch, HttpException, HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { databaseUnavailableReason } from '../core/database-errors';
import { logger } from '../core/logger';
import { withoutServerPaths } from '../core/server-paths';

/** Seconds a client should wait before trying again; a restart or failover of Postgres takes about this long. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The last word on every error response. A request that failed because
 * Postgres cannot be reached gets 503 with Retry-After instead of 500 (it was
 * fine and will succeed once the database is back; the cause goes to the
 * log). Any other HTTP error keeps its status and message, except that an
 * absolute filesystem path never leaves in it, whichever code put it there.
 */
@Catch()
export class ErrorResponseFilter extends BaseExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reason = host.getType() === 'http' ? databaseUnavailableReason(exception) : null;
    if (!reason) return super.catch(this.withoutServerPaths(exception), host);
    const res = host.switchToHttp().getResponse<Response>();
    logger.warn({ reason, err: (exception as Error).message }, 'request failed: the database is unavailable');
    // A stream (server-sent events) that already started cannot change its status; end it and let the client reconnect.
    if (res.headersSent) return void res.end();
    res
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
      .json({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, error: 'Service Unavailable', message: 'the database is unavailable; try again shortly' });
  }

  private withoutServerPaths(exception: unknown): unknown {
    if (!(exception instanceof HttpException)) return exception; // answered as a bare 500 by Nest, message unsent
    const body = exception.getResponse();
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const redacted = withoutServerPaths(text);
    if (redacted === text) return exception;
    logger.warn({ status: exception.getStatus() }, 'removed a server path from an error response');
    return new HttpException(typeof body === 'string' ? redacted : JSON.parse(redacted), exception.getStatus());
  }
}
