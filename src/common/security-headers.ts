import type { NextFunction, Request, Response } from 'express';

/**
 * `nosniff` on every answer (a browser never guesses a type other than the one we send), and on
 * /v1 `no-store`: answers carry leads, reports and key secrets that no cache should keep.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.path === '/v1' || req.path.startsWith('/v1/')) res.setHeader('Cache-Control', 'no-store');
  next();
}
