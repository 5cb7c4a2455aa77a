import { sendData, SimHttpError, type ErrorDetail } from '../http-io';
import { parsePagination } from '../request-validation';
import type { ScenarioAgent, ScenarioQuestion } from '../scenario.types';
import type { RouteContext, SimulatorState } from '../simulator-state';

function findAgent(state: SimulatorState, id: string): ScenarioAgent {
  const agent = state.scenario.agents.find((a) => a.id === id);
  if (!agent) throw new SimHttpError(404, 'Agent not found');
  return agent;
}

export function getAgent(ctx: RouteContext): void {
  const { scenario } = ctx.state;
  const agent = findAgent(ctx.state, ctx.params[0]);
  sendData(ctx.res, 200, 'Agent retrieved successfully', {
    id: agent.id,
    name: agent.name,
    version: agent.version ?? 1,
    language: agent.language,
    initial_message: agent.initial_message ?? null,
    initial_message_delay: 0,
    max_call_duration: agent.max_call_duration ?? 1800,
    presence_check_phrases: ['Allô, vous êtes là ?'],
    presence_check_idle_threshold: 15,
    presence_check_max_times: 3,
    base_prompt: agent.base_prompt ?? null,
    voice: { provider: 'openai', name: 'Clara', instructions: 'chaleureuse', speed: 1 },
    variables: agent.variables,
    states: [],
    initial_state_name: null,
    secure_recording_urls: true,
    webhook_url: null,
    webhook_subscriptions: [],
    created_at: scenario.created_at,
    updated_at: scenario.created_at,
  });
}

/** There is no list of agents on the platform. */
export function listAgents(): void {
  throw new SimHttpError(405, 'Method Not Allowed');
}

function questionView(agent: ScenarioAgent, q: ScenarioQuestion, createdAt: string) {
  return {
    id: q.id,
    agent_id: agent.id,
    name: q.name,
    description: q.description,
    type: q.type,
    optional: q.optional,
    model: 'gpt-4.1-mini',
    examples: q.examples ?? [],
    options: (q.options ?? []).map((o) => ({ id: o.id, value: o.value })),
    is_active: true,
    question_origin: q.question_origin ?? 'user',
    created_at: createdAt,
    updated_at: createdAt,
  };
}

export function agentQuestions(ctx: RouteContext): void {
  const { state } = ctx;
  if (state.settings.questionRoutes === 'unscoped') throw new SimHttpError(404, 'Not Found');
  const agent = findAgent(state, ctx.params[0]);
  const data = agent.post_call_questions.map((q) =>
    questionView(agent, q, state.scenario.created_at),
  );
  sendData(ctx.res, 200, 'Post-call questions retrieved successfully', data);
}

/** The unscoped path from the customer's summary; honours an `agent_id` filter. */
export function allQuestions(ctx: RouteContext): void {
  const { state } = ctx;
  if (state.settings.questionRoutes === 'per_agent') throw new SimHttpError(404, 'Not Found');
  const agentId = ctx.query.get('agent_id');
  const data = state.scenario.agents
    .filter((a) => agentId === null || a.id === agentId)
    .flatMap((a) =>
      a.post_call_questions.map((q) => questionView(a, q, state.scenario.created_at)),
    );
  sendData(ctx.res, 200, 'Post-call questions retrieved successfully', data);
}

/** GET /phone-numbers, newest first, with the same two pagination modes as calls. */
export function listPhoneNumbers(ctx: RouteContext): void {
  const details: ErrorDetail[] = [];
  const { limit, selection } = parsePagination(ctx.query, details);
  if (details.length > 0) throw new SimHttpError(400, 'Validation error', details);
  const numbers = [...ctx.state.scenario.phone_numbers]
    .map((n) => ({ type: 'pstn', ...n, time: Date.parse(n.created_at) }))
    .sort((a, b) => b.time - a.time);
  const view = (n: (typeof numbers)[number]) => ({
    type: n.type,
    id: n.id,
    number: n.number,
    name: n.name,
    inbound_agent_id: n.inbound_agent_id,
    created_at: n.created_at,
  });
  if (selection.mode === 'cursor') {
    const rest = numbers.filter((n) => selection.cursor === undefined || n.time < selection.cursor);
    const pageItems = rest.slice(0, limit);
    const extra =
      rest.length > limit ? { next_cursor: pageItems[pageItems.length - 1].created_at } : {};
    sendData(ctx.res, 200, 'Phone numbers retrieved successfully', pageItems.map(view), extra);
    return;
  }
  const start = (selection.page - 1) * limit;
  sendData(
    ctx.res,
    200,
    'Phone numbers retrieved successfully',
    numbers.slice(start, start + limit).map(view),
    {
      current_page: selection.page,
      total_pages: Math.ceil(numbers.length / limit),
      total_items: numbers.length,
    },
  );
}
