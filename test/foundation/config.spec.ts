import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadAppConfig } from '../../src/config/app-config';

function problems(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('configuration', () => {
  it('defaults match the contract: port 3000, role all, live URL, simulation without a key', () => {
    const c = loadAppConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.APP_ROLE).toBe('all');
    expect(c.CALLROUNDED_API_URL).toBe('https://api.callrounded.com/v1');
    expect(c.DATABASE_URL).toBeUndefined();
    expect(c.simulation).toBe(true);
    expect(c.apiKeys).toEqual([]);
  });

  it('reads every contract variable', () => {
    const c = loadAppConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db:5432/app',
      CALLROUNDED_API_URL: 'http://127.0.0.1:4010/v1',
      CALLROUNDED_API_KEY: 'live-key',
      API_KEYS: 'first-key-0123456789, second-key-0123456789',
      APP_ROLE: 'worker',
    });
    expect(c.PORT).toBe(8080);
    expect(c.simulation).toBe(false);
    expect(c.apiKeys).toEqual(['first-key-0123456789', 'second-key-0123456789']);
    expect(c.APP_ROLE).toBe('worker');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be a whole number between 1 and 65535'],
    [{ PORT: '70000' }, 'PORT must be a whole number between 1 and 65535'],
    [{ APP_ROLE: 'scheduler' }, 'APP_ROLE must be one of: all, api, worker'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL must be a PostgreSQL URL'],
    [{ CALLROUNDED_API_URL: 'api.callrounded.com' }, 'CALLROUNDED_API_URL must be an http(s) URL'],
    [
      { API_KEYS: 'short' },
      'API_KEYS must be a comma-separated list of keys, each at least 16 characters',
    ],
  ])('rejects %j with a message naming the variable', (env, expected) => {
    const found = problems(env);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(expected);
  });

  it('reads CALLROUNDED_TERMINAL_STATUSES as status[=outcome] pairs, a bare status meaning unknown', () => {
    expect(
      loadAppConfig({
        CALLROUNDED_TERMINAL_STATUSES: ' Voicemail=missed , busy,no_answer = Failed',
      }).extraTerminalStatuses,
    ).toEqual({ voicemail: 'missed', busy: 'unknown', no_answer: 'failed' });
    expect(loadAppConfig({}).extraTerminalStatuses).toEqual({});
    expect(loadAppConfig({ CALLROUNDED_TERMINAL_STATUSES: '' }).extraTerminalStatuses).toEqual({});
  });

  it.each(['voicemail=busy', 'voicemail=', 'busy,,voicemail', 'ongoing=failed', 'created', 'a b'])(
    'rejects CALLROUNDED_TERMINAL_STATUSES=%j, saying what it must be',
    (value) => {
      const found = problems({ CALLROUNDED_TERMINAL_STATUSES: value });
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(
        'CALLROUNDED_TERMINAL_STATUSES must be a comma-separated list of status or status=outcome',
      );
    },
  );

  it('lists every bad variable at once and never echoes a secret', () => {
    const found = problems({
      PORT: '0',
      APP_ROLE: 'x',
      DATABASE_URL: 'postgres://admin:s3cret@h/db',
      API_KEYS: 'tiny',
    });
    expect(found.map((p) => p.split(' ')[0])).toEqual(
      expect.arrayContaining(['PORT', 'APP_ROLE', 'API_KEYS']),
    );
    expect(found.join('\n')).not.toContain('s3cret');
    expect(found.join('\n')).not.toContain('tiny');
  });
});
