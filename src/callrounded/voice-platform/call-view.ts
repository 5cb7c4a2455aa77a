import type {
  CallOutcome,
  PlatformCallView,
  StatusReading,
} from '../../engine/platform/voice-platform.port';
import { classifyCallStatus } from '../call-status';
import type { PlatformCall } from '../callrounded.types';

const OUTCOMES: readonly string[] = ['completed', 'missed', 'failed', 'unknown'];

/**
 * Reads a CallRounded status. `completed`, `missed`, `failed` end a call with that outcome; the
 * extra terminal statuses (CALLROUNDED_TERMINAL_STATUSES, status → outcome) end it with the
 * outcome they are mapped to; `created` and `ongoing` are in progress; anything else is kept
 * polling (the engine's maxCallAgeMs decides).
 */
export function readCallStatus(
  status: string | null | undefined,
  extraTerminal: Record<string, string> = {},
): StatusReading {
  const value = (status ?? '').toLowerCase();
  const mapped = extraTerminal[value];
  if (mapped !== undefined) {
    return {
      kind: 'terminal',
      outcome: (OUTCOMES.includes(mapped) ? mapped : 'unknown') as CallOutcome,
    };
  }
  const kind = classifyCallStatus(value);
  if (kind === 'terminal') return { kind, outcome: value as CallOutcome };
  return { kind };
}

/** The engine's view of a CallRounded call. */
export function toCallView(
  call: PlatformCall,
  extraTerminal: Record<string, string>,
): PlatformCallView {
  return {
    id: call.id,
    status: call.status,
    reading: readCallStatus(call.status, extraTerminal),
    startedAt: call.start_time ?? null,
    endedAt: call.end_time ?? null,
    durationSeconds: call.duration_seconds ?? null,
    cost: call.cost ?? null,
    fromNumber: call.from_number ?? null,
    toNumber: call.to_number ?? null,
    answers: call.post_call_answers,
    // A list that does not carry post_call_answers cannot complete a lead.
    answersLeftOut: call.post_call_answers === undefined && call.status === 'completed',
  };
}
