import pino from 'pino';

/**
 * One JSON logger for the process. Secrets never reach it: request logging
 * records method, path and status only, and the redact list covers the
 * fields that could carry credentials if someone logs an object carelessly.
 */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: process.env.PROVENANT_PROCESS ?? 'provenant', pid: process.pid },
  redact: {
    paths: ['password', '*.password', 'authorization', '*.authorization', 'headers.authorization', 'accessToken', 'refreshToken', '*.apiKey', 'key'],
    censor: '[redacted]',
  },
  timestamp: pino.stdTimeFunctions.isoTime,
});
