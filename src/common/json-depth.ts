import { BadRequestException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

/** Deeper JSON than any request of this API needs. */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests deeper than `max` (iterative: deep input cannot overflow it). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(v)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}

/**
 * Runs after the JSON parser: class-transformer and class-validator recurse once per level and
 * run out of stack on a body nested a few thousand levels deep, so such a body is a 400 first.
 */
export function refuseDeepJson(req: Request, _res: Response, next: NextFunction): void {
  if (nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
    next(
      new BadRequestException(`The request body is nested more than ${MAX_JSON_DEPTH} levels deep`),
    );
    return;
  }
  next();
}
