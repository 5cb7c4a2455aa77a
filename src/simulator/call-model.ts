import type { PlatformPostCallAnswer } from '../callrounded/callrounded.types';
import { drawAnswers } from './answer-generator';
import type { Prng } from './prng';
import type { ScenarioAgent, SimScenario } from './scenario.types';
import type { SimDurations } from './simulator.types';

/**
 * A call's whole future is drawn when it is created; its status at any instant is derived from
 * timestamps. No timers, so 10,000 calls cost only memory.
 */
export interface SimCallRecord {
  id: string;
  agent: ScenarioAgent;
  fromNumber: string;
  toNumber: string;
  dynamicVariables: Record<string, unknown> | null;
  metadata: Record<string, unknown>;
  /** Platform clock, ms; strictly increasing across calls so a datetime cursor is exact. */
  createdAt: number;
  /** GET /calls shows the call from this instant (list lag). */
  listVisibleAt: number;
  /** Connected (status `ongoing`) from this instant; null when it never connects. */
  answeredAt: number | null;
  /** Leaves `created`/`ongoing` at this instant. */
  endAt: number;
  finalStatus: string;
  /** Connected time as the platform reports it (unscaled). */
  durationSeconds: number;
  answers: PlatformPostCallAnswer[];
  /** post_call_answers stay empty until endAt + this (post-call processing). */
  answersDelayMs: number;
  terminated: boolean;
}

export interface NewCallInput {
  id: string;
  agent: ScenarioAgent;
  fromNumber: string;
  toNumber: string;
  dynamicVariables: Record<string, unknown> | null;
  createdAt: number;
  /** Platform clock when the POST arrived; createdAt may be nudged a little past it. */
  receivedAt: number;
  listLagMs: number;
  /** Calls made to `toNumber` before this one (its place in `outcomes_by_number`). */
  earlierCallsToNumber: number;
}

const OUTCOMES = ['completed', 'missed', 'failed', 'unknown'] as const;

export function createCallRecord(
  input: NewCallInput,
  scenario: SimScenario,
  durations: SimDurations,
  timeScale: number,
  rng: Prng,
): SimCallRecord {
  const o = scenario.outcomes;
  const drawn = OUTCOMES[rng.weightedIndex([o.completed, o.missed, o.failed, o.unknown ?? 0])];
  const scripted = scriptedStatus(scenario, input.toNumber, input.earlierCallsToNumber);
  const outcome = scripted === undefined ? drawn : outcomeOfStatus(scripted);
  // Drawn for every call, whatever the outcome, so one call's outcome never shifts the next's.
  const talkMs = rng.intBetween(
    durations.talkMinMs,
    Math.max(durations.talkMinMs, durations.talkMaxMs),
  );
  const answers = drawAnswers(input.agent.post_call_questions, rng);
  const scaled = (ms: number) => Math.max(1, Math.round(ms * timeScale));
  const created = input.createdAt;
  const record: SimCallRecord = {
    id: input.id,
    agent: input.agent,
    fromNumber: input.fromNumber,
    toNumber: input.toNumber,
    dynamicVariables: input.dynamicVariables,
    metadata: {},
    createdAt: created,
    listVisibleAt: input.receivedAt + Math.max(0, input.listLagMs),
    answeredAt: null,
    endAt: created,
    finalStatus: outcome,
    durationSeconds: 0,
    answers,
    answersDelayMs: Math.round(durations.answersDelayMs * timeScale),
    terminated: false,
  };
  switch (outcome) {
    case 'completed':
      record.answeredAt = created + scaled(durations.ringMs);
      record.endAt = record.answeredAt + scaled(talkMs);
      record.durationSeconds = Math.max(1, Math.round(talkMs / 1000));
      break;
    case 'missed':
      record.endAt = created + scaled(durations.missedAfterMs);
      break;
    case 'failed':
      record.endAt = created + scaled(durations.failedAfterMs);
      break;
    case 'unknown':
      record.endAt = created + scaled(durations.unknownAfterMs);
      record.finalStatus = scripted ?? scenario.unknown_status ?? 'voicemail';
      break;
  }
  return record;
}

/** The status `outcomes_by_number` gives the number's next call, if it has a script. */
function scriptedStatus(scenario: SimScenario, toNumber: string, earlier: number) {
  const script = scenario.outcomes_by_number?.[toNumber];
  return script?.length ? script[Math.min(earlier, script.length - 1)] : undefined;
}

function outcomeOfStatus(status: string): (typeof OUTCOMES)[number] {
  return status === 'completed' || status === 'missed' || status === 'failed' ? status : 'unknown';
}

export function statusAt(call: SimCallRecord, now: number): string {
  if (now >= call.endAt) return call.finalStatus;
  if (call.answeredAt !== null && now >= call.answeredAt) return 'ongoing';
  return 'created';
}

export function isLiveAt(call: SimCallRecord, now: number): boolean {
  return now < call.endAt;
}

/**
 * Ends a live call now: a connected call becomes `completed` with the time talked so far, a
 * ringing one `missed`. Answers nothing for a call already over (terminate is idempotent).
 */
export function terminateAt(call: SimCallRecord, now: number, timeScale: number): void {
  if (!isLiveAt(call, now)) return;
  if (call.answeredAt !== null && now >= call.answeredAt) {
    call.finalStatus = 'completed';
    call.durationSeconds = Math.max(1, Math.round((now - call.answeredAt) / timeScale / 1000));
  } else {
    call.finalStatus = 'missed';
    call.answeredAt = null;
    call.durationSeconds = 0;
  }
  call.endAt = now;
  call.terminated = true;
}
