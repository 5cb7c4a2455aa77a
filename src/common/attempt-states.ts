import { sqlList } from './sql-list';

/**
 * The states of a call attempt (table call_attempts), shared by the engine that writes them and
 * by the campaigns and reports that read them.
 * `starting`: recorded and holding a slot, POST not yet known to have succeeded.
 * `ambiguous`: the POST's outcome is unknown (timeout, reset, 5xx, holder died): reconcile.
 * `live`: the platform call id is known; polled until terminal.
 * `ended`: the call reached a final status. `not_dialled`: proven never to have created a call.
 */
export const ATTEMPT_STATES = ['starting', 'ambiguous', 'live', 'ended', 'not_dialled'] as const;
export type AttemptState = (typeof ATTEMPT_STATES)[number];

/** The states that hold a concurrency slot. */
export const SLOT_STATES: readonly AttemptState[] = ['starting', 'ambiguous', 'live'];
/** The states whose call is not known to exist yet (no call id recorded). */
export const UNCONFIRMED_STATES: readonly AttemptState[] = ['starting', 'ambiguous'];

export const SLOT_STATES_SQL = sqlList(SLOT_STATES);
export const UNCONFIRMED_STATES_SQL = sqlList(UNCONFIRMED_STATES);
