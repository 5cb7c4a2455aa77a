import type {
  PlatformCall,
  PlatformTranscriptEntry,
  PlatformVariableValue,
} from '../callrounded/callrounded.types';
import { statusAt, type SimCallRecord } from './call-model';

export interface CallViewOptions {
  organizationId: string;
  costPerMinute: number;
  /** GET /calls/{id} always carries them; GET /calls only when asked. */
  includeTranscript: boolean;
  includeVariableValues: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The call object as the platform would answer it at instant `now`. */
export function toPlatformCall(
  call: SimCallRecord,
  now: number,
  opts: CallViewOptions,
): PlatformCall {
  const status = statusAt(call, now);
  const ended = now >= call.endAt;
  const connected = call.answeredAt !== null && now >= call.answeredAt;
  const completed = ended && connected;
  const answersReady = completed && now >= call.endAt + call.answersDelayMs;
  return {
    id: call.id,
    organization_id: opts.organizationId,
    type: 'phone_call',
    agent_id: call.agent.id,
    status,
    metadata: { ...call.metadata },
    start_time: iso(call.createdAt),
    end_time: ended ? iso(call.endAt) : null,
    duration_seconds: ended ? call.durationSeconds : null,
    redirect_duration_seconds: ended ? 0 : null,
    cost: ended
      ? Math.round((call.durationSeconds / 60) * opts.costPerMinute * 10_000) / 10_000
      : null,
    transcript_string: opts.includeTranscript ? transcriptText(call, completed) : null,
    transcript: opts.includeTranscript ? transcript(call, completed) : null,
    variable_values: opts.includeVariableValues ? variableValues(call) : null,
    // Answers never change after creation: shared, not copied (serialised right away).
    post_call_answers: answersReady ? call.answers : [],
    answer_type: connected ? 'human' : null,
    from_number: call.fromNumber,
    to_number: call.toNumber,
    direction: 'outbound',
    recording_url: completed
      ? `https://recordings.simulator.invalid/${call.id}.mp3?expires=${Math.floor(now / 1000) + 3600}`
      : null,
    secure_recording_url: null,
  };
}

function transcript(call: SimCallRecord, completed: boolean): PlatformTranscriptEntry[] {
  if (!completed || call.answeredAt === null) return [];
  const vars = call.dynamicVariables ?? {};
  const prenom = typeof vars.prenom === 'string' ? vars.prenom : '';
  const salon = typeof vars.nom_du_salon === 'string' ? vars.nom_du_salon : 'votre salon';
  const lines: [string, string][] = [
    ['agent', `Bonjour${prenom ? ` ${prenom}` : ''}, je vous appelle au sujet de ${salon}.`],
    ['user', 'Oui, bonjour, je vous écoute.'],
    ['agent', 'Combien de personnes travaillent dans le salon ?'],
    ['user', 'Nous sommes quelques-uns, pourquoi ?'],
  ];
  const step = Math.max(1, Math.floor((call.endAt - call.answeredAt) / lines.length));
  return lines.map(([role, content], i) => ({
    role,
    start_time: iso((call.answeredAt as number) + i * step),
    content,
  }));
}

function transcriptText(call: SimCallRecord, completed: boolean): string | null {
  const entries = transcript(call, completed);
  if (entries.length === 0) return null;
  return entries.map((e) => `${e.role === 'agent' ? 'Agent' : 'User'}: ${e.content}`).join('\n');
}

function variableValues(call: SimCallRecord): PlatformVariableValue[] {
  const at = iso(call.createdAt);
  const system: PlatformVariableValue[] = [
    { name: 'from_number', type: 'string', value: call.fromNumber, timestamp: at },
    { name: 'to_number', type: 'string', value: call.toNumber, timestamp: at },
    { name: 'call_id', type: 'string', value: call.id, timestamp: at },
    { name: 'call_start_time', type: 'datetime', value: at, timestamp: at },
  ];
  const dynamic = Object.entries(call.dynamicVariables ?? {}).map(([name, value]) => ({
    name,
    type: typeof value === 'object' ? 'object' : typeof value,
    value,
    timestamp: at,
  }));
  return [...system, ...dynamic];
}
