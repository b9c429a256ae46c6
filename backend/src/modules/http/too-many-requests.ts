import { HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';

/** A 429 whose Retry-After (whole seconds, at least 1) and message say when to come back. */
export function tooManyRequests(res: Response, waitMs: number, what: string): HttpException {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  res.setHeader('retry-after', String(seconds));
  return new HttpException({ statusCode: 429, error: 'Too Many Requests', message: `${what}; retry in ${seconds} s` }, HttpStatus.TOO_MANY_REQUESTS);
}
