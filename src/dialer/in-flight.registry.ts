import { Injectable } from '@nestjs/common';

/**
 * Attempts this process has claimed and not finished sending: their leases are renewed while
 * they wait, and this process's own reaper leaves them alone (a clock jump in tests must not
 * make a live process look dead to itself).
 */
@Injectable()
export class InFlightRegistry {
  private readonly ids = new Set<string>();

  add(id: string): void {
    this.ids.add(id);
  }

  delete(id: string): void {
    this.ids.delete(id);
  }

  list(): string[] {
    return [...this.ids];
  }

  get size(): number {
    return this.ids.size;
  }
}
