import type {
  CallPage,
  CallStartRequest,
  PlatformCallView,
  VoicePlatform,
} from '../../engine/platform/voice-platform.port';
import type { CallRoundedClient } from '../callrounded.client';
import { toCallView } from './call-view';
import { toStartError } from './start-errors';

/** The engine's VoicePlatform over the CallRounded client (which never retries a start). */
export class CallRoundedVoicePlatform implements VoicePlatform {
  constructor(
    private readonly client: CallRoundedClient,
    /** CALLROUNDED_TERMINAL_STATUSES: statuses that end a call besides completed/failed/missed. */
    private readonly extraTerminalStatuses: Record<string, string>,
  ) {}

  async startCall(request: CallStartRequest): Promise<{ callId: string }> {
    try {
      const result = await this.client.startPhoneCall({
        from_number: request.fromNumber,
        to_number: request.toNumber,
        agent_id: request.agentId,
        dynamic_variables_values: request.variables,
      });
      return { callId: result.call_id };
    } catch (e) {
      throw toStartError(e);
    }
  }

  async tagCall(callId: string, tags: Record<string, string>): Promise<void> {
    await this.client.updateCallMetadata(callId, tags);
  }

  terminateCall(callId: string): Promise<void> {
    return this.client.terminateCall(callId);
  }

  async getCall(callId: string): Promise<PlatformCallView> {
    return this.view(await this.client.getCall(callId));
  }

  async listAgentCalls(
    query: { agentId: string; startedAfter: Date; limit: number },
    cursor?: string,
  ): Promise<CallPage> {
    const page = await this.client.listCalls(
      { agent_id: query.agentId, start_time_gt: query.startedAfter, limit: query.limit },
      cursor ? { mode: 'cursor', cursor } : { mode: 'cursor' },
    );
    return { calls: page.data.map((c) => this.view(c)), nextCursor: page.next_cursor };
  }

  async *findCalls(query: {
    agentId: string;
    toNumber: string;
    startedAfter: Date;
    limit: number;
  }): AsyncIterable<PlatformCallView> {
    const calls = this.client.iterateCalls({
      agent_id: query.agentId,
      to_number: query.toNumber,
      start_time_gt: query.startedAfter,
      limit: query.limit,
    });
    for await (const call of calls) yield this.view(call);
  }

  private view(call: Parameters<typeof toCallView>[0]): PlatformCallView {
    return toCallView(call, this.extraTerminalStatuses);
  }
}
