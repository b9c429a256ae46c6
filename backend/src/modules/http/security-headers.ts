import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/**
 * The console's content security policy: everything from this origin only,
 * no plugins, no framing, no inline script. Angular adds component styles as
 * <style> elements at run time, hence 'unsafe-inline' for styles alone;
 * evidence thumbnails and clip previews are blob: URLs made from
 * authenticated fetches.
 */
const CONSOLE_CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  mediaSrc: ["'self'", 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Swagger UI (/api/docs) styles and starts itself inline. */
const DOCS_CSP = { ...CONSOLE_CSP, scriptSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'https:'] };

const base = {
  // HSTS is sent only over TLS (below): over plain HTTP a browser ignores it, and a local start must stay reachable.
  strictTransportSecurity: false,
  referrerPolicy: { policy: 'no-referrer' as const },
  crossOriginEmbedderPolicy: false,
};
const consoleHeaders = helmet({ ...base, contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP } });
const docsHeaders = helmet({ ...base, contentSecurityPolicy: { useDefaults: false, directives: DOCS_CSP } });
const hsts = helmet.strictTransportSecurity({ maxAge: 180 * 24 * 3600, includeSubDomains: true });

/**
 * Security headers on every response (helmet): CSP with frame-ancestors
 * 'none' and X-Frame-Options, nosniff, no referrer, no X-Powered-By; HSTS
 * when the request came over TLS (directly, or through a proxy trusted with
 * TRUST_PROXY that says so).
 */
export const securityHeaders: RequestHandler = (req: Request, res: Response, next: NextFunction) => {
  const headers = req.path.startsWith('/api/docs') ? docsHeaders : consoleHeaders;
  headers(req, res, (err?: unknown) => {
    if (err) return next(err);
    if (req.secure) return hsts(req, res, next);
    next();
  });
};
