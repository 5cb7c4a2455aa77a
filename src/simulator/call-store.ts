import { terminateAt, type SimCallRecord } from './call-model';
import { LiveTracker } from './live-tracker';

export interface CallListQuery {
  agentId?: string;
  callType?: string;
  fromNumber?: string;
  toNumber?: string;
  /** Strict bounds, platform ms. */
  startTimeGt?: number;
  startTimeLt?: number;
  limit: number;
}

export type CallListPage =
  | { mode: 'cursor'; calls: SimCallRecord[]; nextCursor?: number }
  | { mode: 'page'; calls: SimCallRecord[]; page: number; totalPages: number; totalItems: number };

/**
 * Calls kept in start-time order (appends only: start times are strictly increasing), indexed
 * by id and by to_number, so list queries touch only the time range they ask for.
 */
export class CallStore {
  private readonly all: SimCallRecord[] = [];
  private readonly byId = new Map<string, SimCallRecord>();
  private readonly byToNumber = new Map<string, SimCallRecord[]>();
  private readonly live = new LiveTracker();
  private statsSince = Number.NEGATIVE_INFINITY;
  private maxLivePerNumber = 0;

  /** The next call's start time: `now`, nudged forward so no two calls share an instant. */
  nextStartTime(now: number): number {
    const last = this.all[this.all.length - 1];
    return last && last.createdAt >= now ? last.createdAt + 1 : now;
  }

  add(call: SimCallRecord, now: number): void {
    this.all.push(call);
    this.byId.set(call.id, call);
    const list = this.byToNumber.get(call.toNumber);
    if (list) list.push(call);
    else this.byToNumber.set(call.toNumber, [call]);
    this.live.start(call, now);
    this.maxLivePerNumber = Math.max(this.maxLivePerNumber, this.liveCallsTo(call.toNumber, now));
  }

  /** Every call made to one number so far (live or over). */
  callsTo(toNumber: string): number {
    return this.byToNumber.get(toNumber)?.length ?? 0;
  }

  /** Live calls to one number now; more than 1 means someone is rung twice at once. */
  liveCallsTo(toNumber: string, now: number): number {
    let live = 0;
    for (const call of this.byToNumber.get(toNumber) ?? []) if (now < call.endAt) live++;
    return live;
  }

  maxLivePerNumberObserved(): number {
    return this.maxLivePerNumber;
  }

  get(id: string): SimCallRecord | undefined {
    return this.byId.get(id);
  }

  terminate(call: SimCallRecord, now: number, timeScale: number): void {
    this.live.endEarly(call, now);
    terminateAt(call, now, timeScale);
  }

  values(): readonly SimCallRecord[] {
    return this.all;
  }

  liveCount(now: number): number {
    return this.live.count(now);
  }

  maxLiveObserved(): number {
    return this.live.maxObserved();
  }

  nextLiveEndAt(now: number): number | undefined {
    return this.live.nextEndAt(now);
  }

  /** Calls started in (now - windowMs, now], and the start of the oldest of them. */
  startsInWindow(now: number, windowMs: number): { count: number; oldest?: number } {
    const from = lowerBound(this.all, now - windowMs + 1);
    return { count: this.all.length - from, oldest: this.all[from]?.createdAt };
  }

  startsPerMinute(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const call of this.sinceStats()) {
      const minute = new Date(call.createdAt).toISOString().slice(0, 16);
      counts[minute] = (counts[minute] ?? 0) + 1;
    }
    return counts;
  }

  maxStartsInWindow(windowMs: number): number {
    const calls = this.sinceStats();
    let max = 0;
    for (let lo = 0, hi = 0; hi < calls.length; hi++) {
      while (calls[hi].createdAt - calls[lo].createdAt >= windowMs) lo++;
      max = Math.max(max, hi - lo + 1);
    }
    return max;
  }

  resetStats(now: number): void {
    this.statsSince = now;
    this.live.resetMax(now);
    this.maxLivePerNumber = 0;
  }

  clear(): void {
    this.all.length = 0;
    this.byId.clear();
    this.byToNumber.clear();
    this.live.clear();
    this.maxLivePerNumber = 0;
  }

  /** Newest start time first. The cursor is the start time of the last record already seen. */
  listByCursor(query: CallListQuery, now: number, cursor?: number): CallListPage {
    const matches = this.scan(query, now, cursor);
    const calls: SimCallRecord[] = [];
    for (const call of matches) {
      if (calls.length === query.limit) {
        return { mode: 'cursor', calls, nextCursor: calls[calls.length - 1].createdAt };
      }
      calls.push(call);
    }
    return { mode: 'cursor', calls };
  }

  listByPage(query: CallListQuery, now: number, page: number): CallListPage {
    const first = (page - 1) * query.limit;
    const calls: SimCallRecord[] = [];
    let total = 0;
    for (const call of this.scan(query, now)) {
      if (total >= first && calls.length < query.limit) calls.push(call);
      total++;
    }
    return {
      mode: 'page',
      calls,
      page,
      totalPages: Math.ceil(total / query.limit),
      totalItems: total,
    };
  }

  private *scan(query: CallListQuery, now: number, cursor?: number): Generator<SimCallRecord> {
    const source =
      query.toNumber !== undefined ? (this.byToNumber.get(query.toNumber) ?? []) : this.all;
    const upper = Math.min(query.startTimeLt ?? Infinity, cursor ?? Infinity);
    for (let i = lowerBound(source, upper) - 1; i >= 0; i--) {
      const call = source[i];
      if (query.startTimeGt !== undefined && call.createdAt <= query.startTimeGt) return;
      if (call.listVisibleAt > now) continue;
      if (query.agentId !== undefined && call.agent.id !== query.agentId) continue;
      if (query.fromNumber !== undefined && call.fromNumber !== query.fromNumber) continue;
      if (query.callType !== undefined && query.callType !== 'phone_call') continue;
      yield call;
    }
  }

  private sinceStats(): SimCallRecord[] {
    return this.all.slice(lowerBound(this.all, this.statsSince));
  }
}

/** First index whose start time is >= `time` (calls are sorted by start time). */
function lowerBound(calls: readonly SimCallRecord[], time: number): number {
  let lo = 0;
  let hi = calls.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (calls[mid].createdAt < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
