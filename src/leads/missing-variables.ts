import type { CallRoundedClient } from '../callrounded';

/** Variables the platform fills in itself on every call. */
export const PLATFORM_VARIABLES = ['from_number', 'to_number', 'call_id', 'call_start_time'];

export interface MissingVariables {
  missing: string[];
  /** Set when the agent could not be read: the import still succeeds. */
  warning?: string;
}

/**
 * Asks the platform for the agent's declared variables as soon as an import starts, and later
 * says which of them nothing supplies. Never fails: a platform error or a slow answer becomes a
 * warning.
 */
export function startMissingVariablesCheck(
  platform: CallRoundedClient,
  agentId: string,
  timeoutMs: number,
): (supplied: Iterable<string>) => Promise<MissingVariables> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    timer.unref();
  });
  const declared = Promise.race([platform.getAgent(agentId), timeout]).then(
    (agent) => ({
      names: agent.variables.map((v) => v.name).filter((n) => typeof n === 'string' && n !== ''),
    }),
    (error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }),
  );
  return async (supplied) => {
    const result = await declared;
    clearTimeout(timer);
    if ('error' in result) {
      return {
        missing: [],
        warning: `Could not read agent ${agentId} from the platform to check its variables (${result.error}); missing_variables is unknown`,
      };
    }
    const have = new Set([...PLATFORM_VARIABLES, ...supplied]);
    return { missing: [...new Set(result.names)].filter((n) => !have.has(n)) };
  };
}
