import type { Clock, WorkerTuning } from '../../../src/core/runtime';
import { AGENT_ID, FROM_NUMBER } from '../../kit/simulator';
import { startStack, type Stack } from '../../kit/stack';

/** A real app on a fresh database and a simulator; by default the api role: no loop dials. */
export type CampaignKit = Stack;

export function startCampaignKit(
  options: {
    role?: 'api' | 'all';
    clock?: Clock;
    worker?: Partial<WorkerTuning>;
    env?: Record<string, string>;
  } = {},
): Promise<CampaignKit> {
  return startStack({
    role: options.role ?? 'api',
    clock: options.clock,
    worker: options.worker,
    env: options.env,
  });
}

export const minimalCampaign = (extra: object = {}) => ({
  name: 'Relance salons novembre',
  agent_id: AGENT_ID,
  from_numbers: [FROM_NUMBER],
  ...extra,
});

// Kept for tests written against the old layout: these now live in the kit.
export { insertAttempt, insertLeads } from '../../kit/factories';
export { AGENT_ID, FROM_NUMBER as FROM, OTHER_AGENT_ID } from '../../kit/simulator';
export type { ApiClient } from '../../kit/stack';
