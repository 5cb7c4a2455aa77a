/** The statuses the project knows; the platform may send others at any time. */
export const IN_PROGRESS_CALL_STATUSES: readonly string[] = ['created', 'ongoing'];
export const TERMINAL_CALL_STATUSES: readonly string[] = ['completed', 'failed', 'missed'];

export type CallStatusClass = 'in_progress' | 'terminal' | 'unrecognised';

/**
 * Never throws: an unrecognised status means "keep polling until the maximum call age",
 * decided by the caller, not "crash" or "drop".
 */
export function classifyCallStatus(
  status: string | null | undefined,
  extraTerminalStatuses: readonly string[] = [],
): CallStatusClass {
  const value = (status ?? '').toLowerCase();
  if (IN_PROGRESS_CALL_STATUSES.includes(value)) return 'in_progress';
  const extra = extraTerminalStatuses.some((s) => s.toLowerCase() === value);
  if (TERMINAL_CALL_STATUSES.includes(value) || extra) {
    return 'terminal';
  }
  return 'unrecognised';
}
