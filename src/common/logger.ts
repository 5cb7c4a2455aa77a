import pino from 'pino';

/** Paths redacted from every log line: the platform key and our own keys never reach logs. */
export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'headers["x-api-key"]',
  'apiKey',
  '*.apiKey',
];

export function createRootLogger(level = process.env.LOG_LEVEL ?? 'info') {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '***' } });
}
