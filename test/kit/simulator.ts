import { request } from 'undici';
import type { SimScenario, SimulatorHandle } from '../../src/simulator';
import { HAIR_SALON_FR_SCENARIO } from '../../src/simulator';

/** The built-in scenario's first agent (declares prenom, nom_du_salon, ville and the platform's four). */
export const AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[0].id;
export const SALON_AGENT_ID = AGENT_ID;
export const OTHER_AGENT_ID = HAIR_SALON_FR_SCENARIO.agents[1].id;
export const FOLLOW_UP_AGENT_ID = OTHER_AGENT_ID;
export const FROM_NUMBER = HAIR_SALON_FR_SCENARIO.phone_numbers[0].number;
export const OTHER_FROM_NUMBER = HAIR_SALON_FR_SCENARIO.phone_numbers[1].number;
export const FROM_NUMBERS = HAIR_SALON_FR_SCENARIO.phone_numbers.map((n) => n.number);

/** Calls of 200–800 ms. */
export const FAST_CALLS = {
  ringMs: 50,
  talkMinMs: 150,
  talkMaxMs: 750,
  missedAfterMs: 300,
  failedAfterMs: 200,
  unknownAfterMs: 300,
  answersDelayMs: 0,
};

/** The built-in scenario with only the given outcomes. */
export function scenarioWith(outcomes: Partial<SimScenario['outcomes']>): SimScenario {
  return {
    ...HAIR_SALON_FR_SCENARIO,
    outcomes: { completed: 0, missed: 0, failed: 0, unknown: 0, ...outcomes },
  };
}

export interface RawAnswer {
  status: number;
  header(name: string): string | undefined;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/** Talks to the simulator without the client, to test the simulator on its own. */
export async function raw(
  sim: SimulatorHandle,
  method: string,
  path: string,
  options: { body?: unknown; apiKey?: string | null } = {},
): Promise<RawAnswer> {
  const headers: Record<string, string> = {};
  const key = options.apiKey === undefined ? sim.apiKey : options.apiKey;
  if (key !== null) headers['X-Api-Key'] = key;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  // undici.request rather than fetch: several times cheaper, which matters at 10,000 calls.
  const res = await request(sim.url + path, {
    method: method as 'GET',
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.body.text();
  const header = (name: string) => {
    const value = res.headers[name.toLowerCase()];
    return Array.isArray(value) ? value[0] : value;
  };
  return { status: res.statusCode, header, json: text ? (JSON.parse(text) as unknown) : undefined };
}

export async function startCallRaw(
  sim: SimulatorHandle,
  toNumber: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const answer = await raw(sim, 'POST', '/calls/phone', {
    body: { from_number: FROM_NUMBER, to_number: toNumber, agent_id: SALON_AGENT_ID, ...extra },
  });
  if (answer.status !== 201) {
    throw new Error(`POST /calls/phone answered ${answer.status}: ${JSON.stringify(answer.json)}`);
  }
  return (answer.json as { data: { call_id: string } }).data.call_id;
}
