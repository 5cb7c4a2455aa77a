import { Injectable } from '@nestjs/common';
import { type CallingWindow, checkWindow, WindowVerdict } from './calling-window';
import { candidateZones } from './candidate-zones';

export interface WindowEvaluation extends WindowVerdict {
  /** The zones the lead was checked in (see candidateZones). */
  zones: string[];
}

/** Whether a lead of a campaign may be dialled at an instant, in every zone it may be in. */
@Injectable()
export class CallingWindowService {
  async evaluate(
    campaign: { callingWindow: CallingWindow; timezone: string },
    lead: { phone: string; timezone: string | null },
    at: Date,
  ): Promise<WindowEvaluation> {
    const zones = await candidateZones(lead.phone, lead.timezone, campaign.timezone);
    return { ...checkWindow(campaign.callingWindow, zones, at), zones };
  }
}
