import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from 'express';
import type { Actor } from './roles';

/** What the audit trail records about the request a change belongs to. */
export interface RequestContext {
  actor: Actor;
  clientAddress: string;
  requestId: string;
}

/**
 * Set by the API key middleware for the rest of the request, so that a service writing an audit
 * row in its transaction knows who asked without every controller passing it down.
 */
export const requestContext = new AsyncLocalStorage<RequestContext>();

/** Where the guard finds the actor (the request object is what guards are given). */
export const ACTOR = Symbol('actor');
export type RequestWithActor = Request & { [ACTOR]?: Actor };

/** The socket's address (no proxy header is trusted: a client could forge it). */
export function clientAddressOf(req: Request): string {
  const ip = req.socket?.remoteAddress ?? req.ip ?? 'unknown';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `X-Request-Id` when it is a plain token, else a new one; echoed on the answer. */
export function requestIdOf(req: Request, res: Response): string {
  const given = req.header('x-request-id');
  const id = given && REQUEST_ID.test(given) ? given : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
