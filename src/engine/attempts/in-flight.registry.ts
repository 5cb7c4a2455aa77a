import { Injectable } from '@nestjs/common';

/**
 * Attempts this process has claimed and not finished sending: their leases are renewed while
 * they wait, and this process's own reaper leaves them alone (a clock jump in tests must not
 * make a live process look dead to itself). `queued` ones have not begun their last checks and
 * POST yet: on shutdown they are released at once instead of being sent.
 */
@Injectable()
export class InFlightRegistry {
  private readonly phases = new Map<string, 'queued' | 'sending'>();

  add(id: string): void {
    this.phases.set(id, 'queued');
  }

  /** Answers false when the attempt is no longer ours to send (released on shutdown). */
  beginSending(id: string): boolean {
    if (this.phases.get(id) !== 'queued') return false;
    this.phases.set(id, 'sending');
    return true;
  }

  delete(id: string): void {
    this.phases.delete(id);
  }

  list(): string[] {
    return [...this.phases.keys()];
  }

  /** Takes the queued attempts out: nobody will send them. */
  takeQueued(): string[] {
    const queued = [...this.phases].filter(([, phase]) => phase === 'queued').map(([id]) => id);
    for (const id of queued) this.phases.delete(id);
    return queued;
  }

  get size(): number {
    return this.phases.size;
  }
}
