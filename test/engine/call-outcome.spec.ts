import { describe, expect, it } from '@jest/globals';
import { readCallStatus } from '../../src/callrounded/voice-platform/call-view';
import { decideLeadAfterCall } from '../../src/engine/finish/call-outcome';

const now = new Date('2026-11-21T10:00:00Z');
const retry = { max_attempts: 3, delay_minutes: 60, on: ['missed', 'failed'] };

describe('what a platform status means', () => {
  it('reads the documented terminal and in-progress statuses', () => {
    expect(readCallStatus('completed')).toEqual({ kind: 'terminal', outcome: 'completed' });
    expect(readCallStatus('MISSED')).toEqual({ kind: 'terminal', outcome: 'missed' });
    expect(readCallStatus('failed')).toEqual({ kind: 'terminal', outcome: 'failed' });
    expect(readCallStatus('created')).toEqual({ kind: 'in_progress' });
    expect(readCallStatus('ongoing')).toEqual({ kind: 'in_progress' });
  });

  it('keeps polling a status never seen, and never throws on odd values', () => {
    expect(readCallStatus('voicemail')).toEqual({ kind: 'unrecognised' });
    expect(readCallStatus('')).toEqual({ kind: 'unrecognised' });
    expect(readCallStatus(null)).toEqual({ kind: 'unrecognised' });
    expect(readCallStatus('unknown')).toEqual({ kind: 'unrecognised' });
  });

  it('ends calls on configured extra statuses with the outcome they map to', () => {
    const extra = { voicemail: 'missed', busy: 'unknown', odd: 'nonsense' };
    expect(readCallStatus('Voicemail', extra)).toEqual({ kind: 'terminal', outcome: 'missed' });
    expect(readCallStatus('busy', extra)).toEqual({ kind: 'terminal', outcome: 'unknown' });
    expect(readCallStatus('odd', extra)).toEqual({ kind: 'terminal', outcome: 'unknown' });
  });
});

describe('what a lead becomes after a call', () => {
  const decide = (
    outcome: 'completed' | 'missed' | 'failed' | 'unknown',
    attempts: number,
    status = 'running',
  ) => decideLeadAfterCall({ outcome, attempts, retry, campaignStatus: status as 'running', now });

  it('completes on a completed call, even in a cancelled campaign', () => {
    expect(decide('completed', 1).status).toBe('completed');
    expect(decide('completed', 1, 'cancelled').status).toBe('completed');
  });

  it('schedules a retry delay_minutes later while attempts are left', () => {
    expect(decide('missed', 1)).toEqual({
      status: 'retry_scheduled',
      nextAttemptAt: new Date('2026-11-21T11:00:00Z'),
      reason: 'call ended missed; attempt 2 of 3 scheduled',
    });
    expect(decide('failed', 2).status).toBe('retry_scheduled');
  });

  it('exhausts the lead when the retried outcome used every attempt', () => {
    expect(decide('missed', 3)).toMatchObject({ status: 'exhausted', nextAttemptAt: null });
  });

  it('fails the lead on an outcome the policy does not retry', () => {
    expect(decide('unknown', 1)).toMatchObject({ status: 'failed', nextAttemptAt: null });
  });

  it('a paused campaign still schedules retries; a cancelled one cancels instead', () => {
    expect(decide('missed', 1, 'paused').status).toBe('retry_scheduled');
    expect(decide('missed', 1, 'cancelled').status).toBe('cancelled');
  });

  it('max_attempts 1 means no retry at all', () => {
    const once = decideLeadAfterCall({
      outcome: 'missed',
      attempts: 1,
      retry: { max_attempts: 1, delay_minutes: 5, on: ['missed'] },
      campaignStatus: 'running',
      now,
    });
    expect(once.status).toBe('exhausted');
  });
});

describe('retry rules per outcome and per status', () => {
  const policy = {
    max_attempts: 2,
    delay_minutes: 60,
    on: ['missed'],
    by_outcome: { unknown: { max_attempts: 4, delay_minutes: 5 } },
    by_status: { voicemail: { max_attempts: 3, delay_minutes: 1440 } },
  };
  const decide = (
    outcome: 'missed' | 'failed' | 'unknown',
    attempts: number,
    extra: { callStatus?: string; attemptLimit?: number; endsAt?: Date } = {},
  ) =>
    decideLeadAfterCall({
      outcome,
      attempts,
      retry: policy,
      campaignStatus: 'running',
      now,
      ...extra,
    });

  it('a status rule wins over the outcome it maps to, which wins over the policy fields', () => {
    expect(decide('missed', 2, { callStatus: 'voicemail' })).toMatchObject({
      status: 'retry_scheduled',
      nextAttemptAt: new Date(now.getTime() + 1440 * 60_000),
    });
    expect(decide('missed', 3, { callStatus: 'voicemail' }).status).toBe('exhausted');
    expect(decide('missed', 2, { callStatus: 'missed' }).status).toBe('exhausted');
    // `on` does not list unknown, but the outcome has its own rule.
    expect(decide('unknown', 3)).toMatchObject({
      status: 'retry_scheduled',
      nextAttemptAt: new Date(now.getTime() + 5 * 60_000),
    });
    expect(decide('unknown', 4).status).toBe('exhausted');
    expect(decide('failed', 1).status).toBe('failed');
  });

  it('a lead whose attempt_limit a requeue raised gets its extra attempts', () => {
    expect(decide('missed', 2, { attemptLimit: 3 }).status).toBe('retry_scheduled');
    expect(decide('missed', 3, { attemptLimit: 3 }).status).toBe('exhausted');
  });

  it('a retry that would fall at or after the end date expires the lead instead', () => {
    expect(decide('missed', 1, { endsAt: new Date(now.getTime() + 60 * 60_000) })).toMatchObject({
      status: 'expired',
      nextAttemptAt: null,
    });
    expect(decide('missed', 1, { endsAt: new Date(now.getTime() + 61 * 60_000) }).status).toBe(
      'retry_scheduled',
    );
  });
});
