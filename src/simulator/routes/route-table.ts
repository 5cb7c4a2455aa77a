import type { RouteHandler } from '../simulator-state';
import { getCall, listCalls, startCall, terminateCall, updateCall } from './call.routes';
import {
  agentQuestions,
  allQuestions,
  getAgent,
  listAgents,
  listPhoneNumbers,
} from './catalog.routes';

export const START_CALL_ROUTE = 'POST /calls/phone';

interface Route {
  method: string;
  pattern: RegExp;
  /** Stable name used by requestCount(), e.g. `GET /calls/:id`. */
  label: string;
  handler: RouteHandler;
}

const ID = '([^/]+)';

const ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/calls\/phone$/, label: START_CALL_ROUTE, handler: startCall },
  { method: 'GET', pattern: /^\/calls$/, label: 'GET /calls', handler: listCalls },
  {
    method: 'GET',
    pattern: new RegExp(`^/calls/${ID}$`),
    label: 'GET /calls/:id',
    handler: getCall,
  },
  {
    method: 'PATCH',
    pattern: new RegExp(`^/calls/${ID}$`),
    label: 'PATCH /calls/:id',
    handler: updateCall,
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/calls/${ID}/terminate$`),
    label: 'POST /calls/:id/terminate',
    handler: terminateCall,
  },
  { method: 'GET', pattern: /^\/agents$/, label: 'GET /agents', handler: listAgents },
  {
    method: 'GET',
    pattern: new RegExp(`^/agents/${ID}$`),
    label: 'GET /agents/:id',
    handler: getAgent,
  },
  {
    method: 'GET',
    pattern: new RegExp(`^/agents/${ID}/post-call-questions$`),
    label: 'GET /agents/:id/post-call-questions',
    handler: agentQuestions,
  },
  {
    method: 'GET',
    pattern: /^\/post-call-questions$/,
    label: 'GET /post-call-questions',
    handler: allQuestions,
  },
  {
    method: 'GET',
    pattern: /^\/phone-numbers$/,
    label: 'GET /phone-numbers',
    handler: listPhoneNumbers,
  },
];

export type RouteMatch =
  | { kind: 'found'; label: string; handler: RouteHandler; params: string[] }
  | { kind: 'method_not_allowed'; label: string }
  | { kind: 'not_found'; label: 'unmatched' };

/** `path` is relative to /v1. */
export function matchRoute(method: string, path: string): RouteMatch {
  let pathKnown: Route | undefined;
  for (const route of ROUTES) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method === method) {
      return {
        kind: 'found',
        label: route.label,
        handler: route.handler,
        params: m.slice(1).map(safeDecode),
      };
    }
    pathKnown ??= route;
  }
  if (pathKnown) {
    const template = pathKnown.label.slice(pathKnown.label.indexOf(' ') + 1);
    return { kind: 'method_not_allowed', label: `${method} ${template}` };
  }
  return { kind: 'not_found', label: 'unmatched' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
