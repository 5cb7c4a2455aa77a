import { BadGatewayException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CallRoundedClient, CallRoundedNotFoundError } from '../callrounded';
import type { CallTranscriptDto } from './dto/call-transcript.dto';

/**
 * A lead's call transcript, fetched from the platform on demand rather than stored: the poller's
 * list requests stay light (no transcripts in them), the platform keeps the one copy of what was
 * said, and an erased lead's calls are simply no longer looked up.
 */
@Injectable()
export class CallTranscripts {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly platform: CallRoundedClient,
  ) {}

  async get(campaignId: string, leadId: string, callId: string): Promise<CallTranscriptDto> {
    const [known] = await this.db.query<{ call_id: string }[]>(
      `SELECT a.call_id FROM call_attempts a JOIN leads l ON l.id = a.lead_id
        WHERE a.lead_id = $1 AND l.campaign_id = $2 AND a.call_id = $3 AND l.erased_at IS NULL`,
      [leadId, campaignId, callId],
    );
    if (!known) throw new NotFoundException(`Call ${callId} is not a call of lead ${leadId}`);
    let call;
    try {
      call = await this.platform.getCall(callId);
    } catch (err) {
      if (err instanceof CallRoundedNotFoundError)
        throw new NotFoundException(`CallRounded no longer has call ${callId}`);
      throw new BadGatewayException(`Could not read call ${callId} from CallRounded`);
    }
    return {
      call_id: callId,
      call_status: call.status,
      transcript_string: call.transcript_string ?? null,
      transcript: (call.transcript ?? []).map((line) => ({
        role: line.role,
        start_time: line.start_time ?? null,
        content: line.content,
      })),
    };
  }
}
