import { ACTIVE_LEAD_STATUSES, FINAL_LEAD_STATUSES, type LeadStatus } from './lead.entity';

export const LEAD_STATUSES: LeadStatus[] = [...ACTIVE_LEAD_STATUSES, ...FINAL_LEAD_STATUSES];
