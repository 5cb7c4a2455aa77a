/**
 * Instants the engine cannot otherwise be caught at, made reachable for tests. Production leaves
 * every hook unset. In-process tests set them on `dialerFaults`; a child process reads
 * `DIALER_FAULT=sigkill_after_post:<n>` (die like kill -9 right after the n-th successful POST,
 * before its call id is saved).
 */
export interface DialerFaults {
  /** Runs when a claimed attempt's turn to be sent comes, before the last checks and the POST. */
  beforeSend?: (attemptId: string) => void | Promise<void>;
  /** Runs after a POST answered 201 and before the call id is written. Throwing = crashing there. */
  afterPostBeforeSave?: (attemptId: string, callId: string) => void | Promise<void>;
  /** Runs after a call's end freed its slot and before its lead is settled. Throwing = crashing there. */
  afterEndBeforeSettle?: (attemptId: string) => void | Promise<void>;
}

export const DIALER_FAULTS = Symbol('DIALER_FAULTS');

/** The shared instance tests mutate (the app gets this very object). */
export const dialerFaults: DialerFaults = {};

/** Error thrown by test hooks to simulate a process dying at that instant. */
export class SimulatedCrash extends Error {
  constructor(where: string) {
    super(`simulated crash ${where}`);
  }
}

export function installFaultsFromEnv(
  faults: DialerFaults,
  env: NodeJS.ProcessEnv = process.env,
): DialerFaults {
  const match = /^sigkill_after_post:(\d+)$/.exec(env.DIALER_FAULT ?? '');
  if (match) {
    let left = Number(match[1]);
    faults.afterPostBeforeSave = () => {
      if (--left <= 0) process.kill(process.pid, 'SIGKILL');
    };
  }
  return faults;
}
