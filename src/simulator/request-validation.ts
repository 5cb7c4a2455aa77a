import type { CallListQuery } from './call-store';
import { isPlainObject, SimHttpError, type ErrorDetail } from './http-io';
import type { ScenarioAgent, SimScenario } from './scenario.types';

const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface StartCallInput {
  fromNumber: string;
  toNumber: string;
  agent: ScenarioAgent;
  dynamicVariables: Record<string, unknown> | null;
}

/**
 * POST /calls/phone, as strict as the documentation. Unknown fields (metadata, scheduled
 * time...) are ignored, not honoured: the real API has no such thing on this call.
 */
export function validateStartCall(body: unknown, scenario: SimScenario): StartCallInput {
  if (!isPlainObject(body)) {
    throw new SimHttpError(400, 'Invalid request body', [
      { field: 'body', message: 'A JSON object is required' },
    ]);
  }
  const details: ErrorDetail[] = [];
  const fromNumber = phoneField(body, 'from_number', details);
  const toNumber = phoneField(body, 'to_number', details);
  if (fromNumber && !scenario.phone_numbers.some((n) => n.number === fromNumber)) {
    details.push({
      field: 'from_number',
      message: 'Phone number does not belong to the organization',
    });
  }
  let agent: ScenarioAgent | undefined;
  const agentId = body.agent_id;
  if (typeof agentId !== 'string' || !UUID.test(agentId)) {
    details.push({ field: 'agent_id', message: 'Must be a valid UUID' });
  } else {
    agent = scenario.agents.find((a) => a.id === agentId);
    if (!agent) details.push({ field: 'agent_id', message: 'Agent not found' });
  }
  const dynamic = body.dynamic_variables_values;
  if (dynamic !== undefined && dynamic !== null && !isPlainObject(dynamic)) {
    details.push({ field: 'dynamic_variables_values', message: 'Must be an object' });
  }
  if (details.length > 0 || !agent || !fromNumber || !toNumber) {
    throw new SimHttpError(400, 'Validation error', details);
  }
  return {
    fromNumber,
    toNumber,
    agent,
    dynamicVariables: isPlainObject(dynamic) ? structuredClone(dynamic) : null,
  };
}

function phoneField(
  body: Record<string, unknown>,
  field: string,
  details: ErrorDetail[],
): string | undefined {
  const value = body[field];
  if (typeof value !== 'string' || value === '') {
    details.push({ field, message: 'Field required' });
    return undefined;
  }
  if (value.length < 8 || !E164.test(value)) {
    details.push({ field, message: 'Must be an E.164 phone number of at least 8 characters' });
    return undefined;
  }
  return value;
}

export type PageSelection =
  { mode: 'cursor'; cursor?: number; cursorText?: string } | { mode: 'page'; page: number };

/** limit, use_cursor, cursor and page, shared by GET /calls and GET /phone-numbers. */
export function parsePagination(
  params: URLSearchParams,
  details: ErrorDetail[],
): {
  limit: number;
  selection: PageSelection;
} {
  let limit = 50;
  const rawLimit = params.get('limit');
  if (rawLimit !== null) {
    limit = Number(rawLimit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      details.push({ field: 'limit', message: 'Must be an integer between 1 and 1000' });
      limit = 50;
    }
  }
  const useCursor = parseBoolean(params.get('use_cursor'), 'use_cursor', details) ?? false;
  if (useCursor) {
    const cursorText = params.get('cursor') ?? undefined;
    const cursor = cursorText === undefined ? undefined : parseTime(cursorText, 'cursor', details);
    return { limit, selection: { mode: 'cursor', cursor, cursorText } };
  }
  let page = 1;
  const rawPage = params.get('page');
  if (rawPage !== null) {
    page = Number(rawPage);
    if (!Number.isInteger(page) || page < 1) {
      details.push({ field: 'page', message: 'Must be an integer >= 1' });
      page = 1;
    }
  }
  return { limit, selection: { mode: 'page', page } };
}

/** GET /calls query. There is deliberately no status filter: the platform has none. */
export function parseCallListQuery(params: URLSearchParams): {
  query: CallListQuery;
  selection: PageSelection;
  includeTranscript: boolean;
  includeVariableValues: boolean;
} {
  const details: ErrorDetail[] = [];
  const { limit, selection } = parsePagination(params, details);
  const callType = params.get('call_type') ?? undefined;
  if (callType !== undefined && callType !== 'phone_call' && callType !== 'web_call') {
    details.push({ field: 'call_type', message: 'Must be phone_call or web_call' });
  }
  const gt = params.get('start_time_gt');
  const lt = params.get('start_time_lt');
  const query: CallListQuery = {
    agentId: params.get('agent_id') ?? undefined,
    callType,
    fromNumber: params.get('from_number') ?? undefined,
    toNumber: params.get('to_number') ?? undefined,
    startTimeGt: gt === null ? undefined : parseTime(gt, 'start_time_gt', details),
    startTimeLt: lt === null ? undefined : parseTime(lt, 'start_time_lt', details),
    limit,
  };
  const includeTranscript =
    parseBoolean(params.get('include_transcript'), 'include_transcript', details) ?? false;
  const includeVariableValues =
    parseBoolean(params.get('include_variable_values'), 'include_variable_values', details) ??
    false;
  if (details.length > 0) throw new SimHttpError(400, 'Validation error', details);
  return { query, selection, includeTranscript, includeVariableValues };
}

function parseBoolean(
  value: string | null,
  field: string,
  details: ErrorDetail[],
): boolean | undefined {
  if (value === null) return undefined;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  details.push({ field, message: 'Must be a boolean' });
  return undefined;
}

/** ISO 8601 with a date part; a bare number is refused (the API takes datetimes). */
function parseTime(value: string, field: string, details: ErrorDetail[]): number | undefined {
  const ms = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(ms)) {
    details.push({ field, message: 'Must be an ISO 8601 datetime' });
    return undefined;
  }
  return ms;
}
