import { sqlList } from '../common/sql-list';

/** Not final: `pending`, `calling`, `retry_scheduled`. Final: the others (`expired`: the campaign's end date passed first). */
export const OPEN_LEAD_STATUSES = ['pending', 'calling', 'retry_scheduled'] as const;
export const FINAL_LEAD_STATUSES = [
  'completed',
  'failed',
  'exhausted',
  'suppressed',
  'cancelled',
  'expired',
  'ineligible',
] as const;
export const LEAD_STATUSES = [...OPEN_LEAD_STATUSES, ...FINAL_LEAD_STATUSES] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
/** Waiting for a call (now or at next_attempt_at): what a claim may pick. */
export const DIALABLE_LEAD_STATUSES: readonly LeadStatus[] = ['pending', 'retry_scheduled'];
/** Ended without a conversation, for good. */
export const UNREACHED_LEAD_STATUSES: readonly LeadStatus[] = ['failed', 'exhausted'];

export const OPEN_LEAD_STATUSES_SQL = sqlList(OPEN_LEAD_STATUSES);
export const FINAL_LEAD_STATUSES_SQL = sqlList(FINAL_LEAD_STATUSES);
export const DIALABLE_LEAD_STATUSES_SQL = sqlList(DIALABLE_LEAD_STATUSES);
export const UNREACHED_LEAD_STATUSES_SQL = sqlList(UNREACHED_LEAD_STATUSES);
