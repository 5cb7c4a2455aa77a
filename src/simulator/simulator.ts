import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { statusAt } from './call-model';
import { parseJsonBody, readBodyText, sendError, SimHttpError } from './http-io';
import { matchRoute, START_CALL_ROUTE } from './routes/route-table';
import { loadScenario } from './scenario';
import {
  DEFAULT_DURATIONS,
  DEFAULT_FAULTS,
  failureToError,
  SimulatorState,
} from './simulator-state';
import type {
  SimCall,
  SimulatorHandle,
  SimulatorOptions,
  SimulatorSettings,
} from './simulator.types';

/**
 * Starts a CallRounded look-alike on 127.0.0.1 (port 0 = any free port). It grants nothing the
 * real API would not: no status filter, no metadata on create, only `{call_id}` from the POST.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<SimulatorHandle> {
  const scenario = loadScenario(options.scenario);
  const state = new SimulatorState(scenario, resolveSettings(options));
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    void handleRequest(req, res, state, hanging);
  });
  const host = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, host);
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://${host}:${port}/v1`,
    apiKey: state.settings.apiKey,
    port,
    scenario,
    close: () => closeServer(server, hanging),
    setFaults: (faults) => {
      Object.assign(state.settings.faults, faults);
      if (faults.failNext) state.settings.faults.failNext = { ...faults.failNext };
    },
    setOptions: (changes) => {
      const { durations, ...rest } = changes;
      if (durations) Object.assign(state.settings.durations, durations);
      Object.assign(state.settings, rest);
    },
    calls: () => {
      const now = state.now();
      return state.store.values().map((call): SimCall => {
        const status = statusAt(call, now);
        return {
          id: call.id,
          agent_id: call.agent.id,
          from_number: call.fromNumber,
          to_number: call.toNumber,
          status,
          start_time: new Date(call.createdAt).toISOString(),
          end_time: now >= call.endAt ? new Date(call.endAt).toISOString() : null,
          metadata: { ...call.metadata },
          dynamic_variables_values: call.dynamicVariables,
          terminated: call.terminated,
        };
      });
    },
    liveCount: () => state.store.liveCount(state.now()),
    maxLiveObserved: () => state.store.maxLiveObserved(),
    maxLivePerNumberObserved: () => state.store.maxLivePerNumberObserved(),
    startsPerMinute: () => state.store.startsPerMinute(),
    maxStartsInWindow: (windowMs = 60_000) => state.store.maxStartsInWindow(windowMs),
    requestCount: (route) => state.requestCount(route),
    requestCounts: () => state.requestCounts(),
    resetStats: () => state.resetStats(),
    clearCalls: () => state.store.clear(),
  };
}

function resolveSettings(options: SimulatorOptions): SimulatorSettings {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error('Simulator timeScale must be greater than 0');
  return {
    apiKey: options.apiKey ?? 'sim-key',
    seed: options.seed ?? 42,
    timeScale,
    clockSkewMs: options.clockSkewMs ?? 0,
    questionRoutes: options.questionRoutes ?? 'both',
    now: options.now ?? Date.now,
    durations: { ...DEFAULT_DURATIONS, ...options.durations },
    faults: { ...DEFAULT_FAULTS, ...options.faults },
    concurrencyLimit: options.concurrencyLimit,
    startsPerMinuteLimit: options.startsPerMinuteLimit,
  };
}

async function handleRequest(
  req: IncomingMessage,
  res: ServerResponse,
  state: SimulatorState,
  hanging: Set<ServerResponse>,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  const method = req.method ?? 'GET';
  const path = url.pathname.startsWith('/v1/') ? url.pathname.slice(3) : undefined;
  const match = path === undefined ? undefined : matchRoute(method, path);
  state.countRequest(match?.label ?? 'unmatched');
  res.on('close', () => hanging.delete(res));
  try {
    const bodyText = await readBodyText(req);
    const latency = state.settings.faults.latencyMs;
    if (latency > 0) await sleep(latency);
    if (req.headers['x-api-key'] !== state.settings.apiKey) {
      throw new SimHttpError(401, 'Invalid or missing API key');
    }
    if (!match || match.kind === 'not_found') throw new SimHttpError(404, 'Not Found');
    if (match.kind === 'method_not_allowed') throw new SimHttpError(405, 'Method Not Allowed');
    const isStartCall = match.label === START_CALL_ROUTE;
    const failure = state.pickFailure(match.label, isStartCall);
    if (failure && !(isStartCall && failure.createsCall)) throw failureToError(failure);
    await match.handler({
      req,
      res,
      params: match.params,
      query: url.searchParams,
      body: parseJsonBody(bodyText),
      state,
      failureAfterCreate: failure,
      hanging,
    });
  } catch (err) {
    sendError(
      res,
      err instanceof SimHttpError ? err : new SimHttpError(500, 'Internal server error'),
    );
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: Server, hanging: Set<ServerResponse>): Promise<void> {
  return new Promise((resolve) => {
    for (const res of hanging) res.destroy();
    hanging.clear();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
