import { createCallRecord, statusAt } from '../call-model';
import type { CallListPage } from '../call-store';
import { toPlatformCall, type CallViewOptions } from '../call-view';
import { isPlainObject, sendData, SimHttpError } from '../http-io';
import { parseCallListQuery, validateStartCall } from '../request-validation';
import {
  failureToError,
  requireObjectBody,
  type RouteContext,
  type SimulatorState,
} from '../simulator-state';

const iso = (ms: number) => new Date(ms).toISOString();

/** POST /calls/phone: answers the id only; no metadata, no idempotency key. */
export function startCall(ctx: RouteContext): void {
  const { state } = ctx;
  const input = validateStartCall(ctx.body, state.scenario);
  const now = state.now();
  refuseAboveLimits(state, now);

  const createdAt = state.store.nextStartTime(now);
  const call = createCallRecord(
    {
      id: state.rng.ids.uuid(),
      agent: input.agent,
      fromNumber: input.fromNumber,
      toNumber: input.toNumber,
      dynamicVariables: input.dynamicVariables,
      createdAt,
      receivedAt: now,
      listLagMs: state.settings.faults.listLagMs,
      earlierCallsToNumber: state.store.callsTo(input.toNumber),
    },
    state.scenario,
    state.settings.durations,
    state.settings.timeScale,
    state.rng.outcomes,
  );
  state.store.add(call, now);

  if (ctx.failureAfterCreate) throw failureToError(ctx.failureAfterCreate);
  const faults = state.settings.faults;
  if (state.rng.faults.chance(faults.postNoAnswerRate)) {
    // The call exists, but its id never reaches the caller.
    if (faults.postNoAnswerMode === 'destroy') ctx.req.socket.destroy();
    else ctx.hanging.add(ctx.res);
    return;
  }
  sendData(ctx.res, 201, 'Phone call started successfully', { call_id: call.id });
}

function refuseAboveLimits(state: SimulatorState, now: number): void {
  const { concurrencyLimit, startsPerMinuteLimit } = state.settings;
  if (concurrencyLimit !== undefined && state.store.liveCount(now) >= concurrencyLimit) {
    const nextEnd = state.store.nextLiveEndAt(now) ?? now + 1000;
    throw tooMany(state, 'Concurrent call limit reached', nextEnd - now);
  }
  if (startsPerMinuteLimit !== undefined) {
    const window = state.store.startsInWindow(now, 60_000);
    if (window.count >= startsPerMinuteLimit) {
      throw tooMany(state, 'Call rate limit reached', (window.oldest ?? now) + 60_000 - now);
    }
  }
}

function tooMany(state: SimulatorState, message: string, waitMs: number): SimHttpError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const text = state.settings.faults.limitMessage ?? message;
  return new SimHttpError(429, text, [], { 'Retry-After': String(seconds) });
}

function viewOptions(
  state: SimulatorState,
  full: boolean,
  query?: URLSearchParams,
): CallViewOptions {
  return {
    organizationId: state.scenario.organization_id,
    costPerMinute: state.scenario.cost_per_minute,
    includeTranscript: full || query?.get('include_transcript') === 'true',
    includeVariableValues: full || query?.get('include_variable_values') === 'true',
  };
}

function findCall(state: SimulatorState, id: string) {
  const call = state.store.get(id);
  if (!call) throw new SimHttpError(404, 'Call not found');
  return call;
}

export function getCall(ctx: RouteContext): void {
  const call = findCall(ctx.state, ctx.params[0]);
  const view = toPlatformCall(call, ctx.state.now(), viewOptions(ctx.state, true));
  sendData(ctx.res, 200, 'Call retrieved successfully', view);
}

export function listCalls(ctx: RouteContext): void {
  const { state } = ctx;
  const parsed = parseCallListQuery(ctx.query);
  const now = state.now();
  const page: CallListPage =
    parsed.selection.mode === 'cursor'
      ? state.store.listByCursor(parsed.query, now, parsed.selection.cursor)
      : state.store.listByPage(parsed.query, now, parsed.selection.page);
  const options: CallViewOptions = {
    ...viewOptions(state, false),
    includeTranscript: parsed.includeTranscript,
    includeVariableValues: parsed.includeVariableValues,
  };
  const data = page.calls.map((call) => toPlatformCall(call, now, options));
  const extra =
    page.mode === 'cursor'
      ? page.nextCursor !== undefined
        ? { next_cursor: iso(page.nextCursor) }
        : {}
      : { current_page: page.page, total_pages: page.totalPages, total_items: page.totalItems };
  sendData(ctx.res, 200, 'Calls retrieved successfully', data, extra);
}

/** PATCH /calls/{id}: `override: true` replaces the metadata, otherwise merges it. */
export function updateCall(ctx: RouteContext): void {
  const { state } = ctx;
  const call = findCall(state, ctx.params[0]);
  const body = requireObjectBody(ctx.body);
  const { metadata, override } = body;
  const details = [];
  if (metadata !== undefined && metadata !== null && !isPlainObject(metadata)) {
    details.push({ field: 'metadata', message: 'Must be an object or null' });
  }
  if (override !== undefined && override !== null && typeof override !== 'boolean') {
    details.push({ field: 'override', message: 'Must be a boolean or null' });
  }
  if (details.length > 0) throw new SimHttpError(400, 'Validation error', details);
  const incoming = isPlainObject(metadata) ? structuredClone(metadata) : {};
  call.metadata = override === true ? incoming : { ...call.metadata, ...incoming };
  const view = toPlatformCall(call, state.now(), viewOptions(state, true));
  sendData(ctx.res, 200, 'Call retrieved successfully', view);
}

/** POST /calls/{id}/terminate: ends a live call; a call already over is fine too. */
export function terminateCall(ctx: RouteContext): void {
  const { state } = ctx;
  const call = findCall(state, ctx.params[0]);
  const now = state.now();
  state.store.terminate(call, now, state.settings.timeScale);
  sendData(ctx.res, 200, 'Call terminated successfully', {
    id: call.id,
    status: statusAt(call, now),
  });
}
