import { Catch, HttpStatus, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Response } from 'express';
import { databaseUnavailableReason } from '../core/database-errors';
import { logger } from '../core/logger';

/** Seconds a client should wait before trying again; a restart or failover of Postgres takes about this long. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Answers 503 with Retry-After, instead of 500, to any request that failed
 * because Postgres cannot be reached: the request was fine and will succeed
 * once the database is back. The body says only that; the error's message
 * goes to the log. Every other exception
 * goes to Nest's default handling.
 */
@Catch()
export class DatabaseUnavailableFilter extends BaseExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const reason = host.getType() === 'http' ? databaseUnavailableReason(exception) : null;
    if (!reason) return super.catch(exception, host);
    const res = host.switchToHttp().getResponse<Response>();
    logger.warn({ reason, err: (exception as Error).message }, 'request failed: the database is unavailable');
    // A stream (server-sent events) that already started cannot change its status; end it and let the client reconnect.
    if (res.headersSent) return void res.end();
    res
      .status(HttpStatus.SERVICE_UNAVAILABLE)
      .setHeader('Retry-After', String(RETRY_AFTER_SECONDS))
      .json({ statusCode: HttpStatus.SERVICE_UNAVAILABLE, message: 'the database is unavailable; try again shortly' });
  }
}
