interface Entry {
  endAt: number;
  owner: { endAt: number };
}

/**
 * Counts live calls (created or ongoing) without timers: a min-heap of end times, pruned
 * whenever the count is read. Live only increases when a call starts, so checking the count
 * right after each start gives the exact maximum.
 */
export class LiveTracker {
  private readonly heap: Entry[] = [];
  private live = 0;
  private max = 0;

  /** Registers a call that is live from `now` until `owner.endAt`. */
  start(owner: { endAt: number }, now: number): void {
    this.prune(now);
    if (owner.endAt <= now) return;
    this.push({ endAt: owner.endAt, owner });
    this.live++;
    this.max = Math.max(this.max, this.live);
  }

  /** Call ended before its scheduled end (terminate). Caller sets `owner.endAt = now` after. */
  endEarly(owner: { endAt: number }, now: number): void {
    this.prune(now);
    if (owner.endAt > now) this.live--;
  }

  count(now: number): number {
    this.prune(now);
    return this.live;
  }

  maxObserved(): number {
    return this.max;
  }

  /** Earliest scheduled end among live calls, for a Retry-After hint. */
  nextEndAt(now: number): number | undefined {
    this.prune(now);
    return this.heap[0]?.endAt;
  }

  resetMax(now: number): void {
    this.max = this.count(now);
  }

  clear(): void {
    this.heap.length = 0;
    this.live = 0;
    this.max = 0;
  }

  private prune(now: number): void {
    while (this.heap.length > 0 && this.heap[0].endAt <= now) {
      const entry = this.pop();
      // A terminated call was already counted out; its entry is stale.
      if (entry.owner.endAt === entry.endAt) this.live--;
    }
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent].endAt <= heap[i].endAt) break;
      [heap[parent], heap[i]] = [heap[i], heap[parent]];
      i = parent;
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && heap[left].endAt < heap[smallest].endAt) smallest = left;
        if (right < heap.length && heap[right].endAt < heap[smallest].endAt) smallest = right;
        if (smallest === i) break;
        [heap[smallest], heap[i]] = [heap[i], heap[smallest]];
        i = smallest;
      }
    }
    return top;
  }
}
