export * from './callrounded.types';
export * from './callrounded.errors';
export * from './callrounded.client';
export * from './callrounded.module';
export * from './call-status';
export { parseRetryAfter, computeRetryDelay } from './retry-policy';
export type { FetchLike } from './http-transport';
export { rateLimitKindOf, type RateLimitKind } from './rate-limit-kind';
