import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { INestApplication } from '@nestjs/common';
import { ChildProcess, spawn } from 'node:child_process';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { Campaign } from '../../src/campaigns/campaign.entity';
import { CampaignEvents } from '../../src/campaigns/campaign-events.service';
import type { WebhookTuning } from '../../src/core/runtime';
import { QualificationService } from '../../src/qualification/qualification.service';
import {
  generateWebhookSecret,
  verifyWebhookSignature,
} from '../../src/webhooks/webhook-signature';
import { buildWebhookWorker } from '../kit/instances';
import { createTestDatabase, TestDatabase } from '../kit/database';
import { startTestApp, TEST_API_KEY } from '../kit/app';
import { until } from '../kit/wait';
import { insertCampaign, salonAnswers, seedLead } from '../reports/seed';
import { TestReceiver } from './receiver';

/** The test receivers listen on 127.0.0.1 over plain http: an operator's allowed host. */
const RECEIVER_ENV = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

const RULES = { match: 'all', rules: [{ question: 'interested', equals: true }] };
const TUNING: Partial<WebhookTuning> = {
  webhookPollIntervalMs: 25,
  webhookTimeoutMs: 1000,
  webhookMaxAttempts: 3,
  webhookBackoffBaseMs: 10_000,
  webhookBackoffFactor: 3,
};

/** The service's clock, moved by hand so that backoff waits take no real time. */
const clock = { offsetMs: 0, now: () => new Date(Date.now() + clock.offsetMs) };

interface EventRow {
  id: string;
  type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  locked_until: Date | null;
  last_status_code: number | null;
  last_error: string | null;
}

describe('CRM webhooks: outbox, signed delivery, retries, restarts', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: DataSource;
  const secret = generateWebhookSecret();
  let receiver: TestReceiver;

  const api = () => request(app.getHttpServer());
  const events = (campaignId: string): Promise<EventRow[]> =>
    db.query(`SELECT * FROM webhook_events WHERE campaign_id = $1 ORDER BY created_at, id`, [
      campaignId,
    ]);

  async function campaignWithWebhook(
    path: string,
    extra: Partial<{ webhook_url: string }> = {},
  ): Promise<Campaign> {
    return insertCampaign(db, {
      qualification: RULES,
      webhook_url: extra.webhook_url ?? `${receiver.url}${path}`,
      webhook_secret: secret,
      status: 'completed',
    });
  }

  let phone = 100;
  const qualifiedLead = (c: Campaign, interested = true) =>
    seedLead(app, c, {
      phone: `+336123${String(++phone).padStart(5, '0')}`,
      variables: { prenom: 'Zoé' },
      status: 'completed',
      attempts: [
        {
          outcome: 'completed',
          cost: 0.2,
          duration: 95,
          answers: salonAnswers({ interested, nb_employes: 4 }),
        },
      ],
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await new TestReceiver(secret).start();
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      clock,
      webhooks: TUNING,
      env: RECEIVER_ENV,
    });
    db = app.get(DataSource);
  });

  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await database?.drop();
  });

  it('a qualified lead is POSTed once, signed, with its answers; others are not', async () => {
    const campaign = await campaignWithWebhook('/hooks/a');
    const before = receiver.received.length;
    const lead = await qualifiedLead(campaign);
    await qualifiedLead(campaign, false);
    const event = await until('delivery', async () =>
      (await events(campaign.id)).find((e) => e.status === 'delivered'),
    );
    const got = receiver.received.slice(before).filter((r) => r.path === '/hooks/a');
    expect(got).toHaveLength(1);
    const [hook] = got;
    expect(hook.signatureValid).toBe(true);
    expect(hook.headers['x-webhook-id']).toBe(event.id);
    expect(hook.headers['x-webhook-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(hook.headers['content-type']).toBe('application/json');
    expect(hook.body).toMatchObject({
      id: event.id,
      type: 'lead.qualified',
      campaign_id: campaign.id,
      data: {
        campaign: { id: campaign.id, name: campaign.name },
        lead: {
          id: lead.id,
          phone: lead.phone,
          variables: { prenom: 'Zoé' },
          qualified: true,
          answers: { interested: true, nb_employes: 4 },
          cost: 0.2,
          duration_seconds: 95,
        },
      },
    });
    // A tampered body or another secret fails the check a CRM makes.
    const ts = hook.headers['x-webhook-timestamp'] as string;
    const sig = hook.headers['x-webhook-signature'] as string;
    expect(
      verifyWebhookSignature(secret, ts, hook.raw.replace('true', 'false'), sig, {
        toleranceSeconds: 1e9,
      }),
    ).toBe(false);
    expect(
      verifyWebhookSignature(generateWebhookSecret(), ts, hook.raw, sig, { toleranceSeconds: 1e9 }),
    ).toBe(false);

    const list = await api()
      .get(`/v1/campaigns/${campaign.id}/webhook-events`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([
      expect.objectContaining({
        id: event.id,
        type: 'lead.qualified',
        lead_id: lead.id,
        status: 'delivered',
        attempts: 1,
        last_status_code: 200,
        last_error: null,
        next_attempt_at: null,
      }),
    ]);
    expect(list.body.data[0].delivered_at).toEqual(expect.any(String));
    const metrics = await api().get('/metrics');
    expect(metrics.text).toMatch(
      /webhook_delivery_attempts_total\{type="lead.qualified",result="delivered"\} [1-9]/,
    );
  });

  it('no event without a webhook_url, and none when the verdict rolls back', async () => {
    const plain = await insertCampaign(db, { qualification: RULES, status: 'completed' });
    await qualifiedLead(plain);
    expect(await events(plain.id)).toEqual([]);

    const campaign = await campaignWithWebhook('/hooks/rollback');
    const lead = await qualifiedLead(campaign, false);
    const attempt = (
      await db.query(`SELECT * FROM call_attempts WHERE lead_id = $1`, [lead.id])
    )[0];
    await expect(
      db.transaction(async (tx) => {
        await app
          .get(QualificationService)
          .qualify(
            tx,
            campaign,
            lead,
            { ...attempt, id: attempt.id, attemptNumber: 1 } as never,
            salonAnswers({ interested: true }),
          );
        expect(
          (
            await tx.query(`SELECT count(*)::int AS n FROM webhook_events WHERE campaign_id = $1`, [
              campaign.id,
            ])
          )[0].n,
        ).toBe(1);
        throw new Error('the dialer failed after qualifying');
      }),
    ).rejects.toThrow('the dialer failed');
    expect(await events(campaign.id)).toEqual([]);
    expect(
      (await db.query(`SELECT qualified FROM leads WHERE id = $1`, [lead.id]))[0].qualified,
    ).toBe(false);
  });

  it('retries with growing waits, then delivers, always with the same X-Webhook-Id', async () => {
    const campaign = await campaignWithWebhook('/hooks/flaky');
    receiver.answer(500, 503);
    await qualifiedLead(campaign);
    const first = await until('first failure', async () =>
      (await events(campaign.id)).find(
        (e) => e.attempts === 1 && e.last_status_code === 500 && !e.locked_until,
      ),
    );
    expect(first.status).toBe('pending');
    expect(first.last_error).toContain('HTTP 500');
    // Equal jitter: between half and all of the 10 s base.
    const wait1 = new Date(first.next_attempt_at).getTime() - clock.now().getTime();
    expect(wait1).toBeGreaterThan(3_000);
    expect(wait1).toBeLessThanOrEqual(10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect((await events(campaign.id))[0].attempts).toBe(1); // not before it is due

    clock.offsetMs += 11_000;
    const second = await until('second failure', async () =>
      (await events(campaign.id)).find((e) => e.attempts === 2 && !e.locked_until),
    );
    expect(second).toMatchObject({ status: 'pending', last_status_code: 503 });
    const wait2 = new Date(second.next_attempt_at).getTime() - clock.now().getTime();
    expect(wait2).toBeGreaterThan(14_000); // 30 s base × ½ at least, minus elapsed test time

    clock.offsetMs += 31_000;
    const done = await until('delivery', async () =>
      (await events(campaign.id)).find((e) => e.status === 'delivered'),
    );
    expect(done.attempts).toBe(3);
    const got = receiver.received.filter((r) => r.path === '/hooks/flaky');
    expect(got).toHaveLength(3);
    expect(new Set(got.map((r) => r.headers['x-webhook-id']))).toEqual(new Set([done.id]));
    expect(got.every((r) => r.signatureValid)).toBe(true);
  });

  it('gives up after the last attempt, shows why, and can be queued again by hand', async () => {
    const campaign = await campaignWithWebhook('/hooks/down');
    receiver.answer(500, 500, 500);
    await qualifiedLead(campaign);
    for (let i = 0; i < 3; i++) {
      await until(`attempt ${i + 1}`, async () =>
        (await events(campaign.id)).find((e) => e.attempts === i + 1 && !e.locked_until),
      );
      clock.offsetMs += 10 * 60_000;
    }
    const failed = await until('failed', async () =>
      (await events(campaign.id)).find((e) => e.status === 'failed'),
    );
    expect(failed).toMatchObject({ attempts: 3, last_status_code: 500 });

    const list = await api()
      .get(`/v1/campaigns/${campaign.id}/webhook-events?status=failed`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([failed.id]);

    const retry = await api()
      .post(`/v1/campaigns/${campaign.id}/webhook-events/${failed.id}/retry`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ status: 'pending', attempts: 0 });
    await until('redelivery', async () =>
      (await events(campaign.id)).find((e) => e.status === 'delivered'),
    );
    const again = await api()
      .post(`/v1/campaigns/${campaign.id}/webhook-events/${failed.id}/retry`)
      .set('X-Api-Key', TEST_API_KEY);
    expect(again.status).toBe(409);
  });

  it('refuses to POST anywhere but http(s)', async () => {
    const campaign = await campaignWithWebhook('', { webhook_url: 'file:///etc/passwd' });
    await qualifiedLead(campaign);
    const failed = await until('failed', async () =>
      (await events(campaign.id)).find((e) => e.status === 'failed'),
    );
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toContain('http');
  });

  it('campaign.completed carries the headline figures', async () => {
    const campaign = await campaignWithWebhook('/hooks/done');
    await qualifiedLead(campaign);
    await qualifiedLead(campaign, false);
    await db.transaction((tx) => app.get(CampaignEvents).completed(tx, campaign));
    await db.transaction((tx) => app.get(CampaignEvents).completed(tx, campaign)); // same run: kept once
    await until('both delivered', async () => {
      const all = await events(campaign.id);
      return all.length === 2 && all.every((e) => e.status === 'delivered');
    });
    const hook = receiver.received.find(
      (r) => r.path === '/hooks/done' && r.body.type === 'campaign.completed',
    );
    expect(hook?.signatureValid).toBe(true);
    expect(hook?.body.data).toMatchObject({
      campaign: { id: campaign.id, status: 'completed' },
      summary: {
        leads: 2,
        dialled: 2,
        reached: 2,
        qualified: 1,
        qualification_rate: 0.5,
        total_cost: 0.4,
      },
    });
  });

  it('an event claimed by a worker killed with SIGKILL is delivered after restart (at least once)', async () => {
    const campaign = await campaignWithWebhook('/hooks/crash');
    // Stop this test's own worker from competing: an api-only app does not deliver.
    await app.close();
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      clock,
      webhooks: TUNING,
      env: { ...RECEIVER_ENV, APP_ROLE: 'api' },
    });
    db = app.get(DataSource);
    receiver.answer('hang');
    await qualifiedLead(campaign);
    const [queued] = await events(campaign.id);
    expect(queued.status).toBe('pending');

    const before = receiver.received.length;
    const child = await startWorkerProcess(
      database.url,
      { ...TUNING, webhookTimeoutMs: 60_000 },
      clock.offsetMs,
    );
    try {
      await receiver.waitFor(before + 1, 30_000);
      await until('the claim', async () =>
        (await events(campaign.id)).find((e) => e.attempts === 1 && e.locked_until),
      );
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    const orphan = (await events(campaign.id))[0];
    expect(orphan).toMatchObject({ status: 'pending', attempts: 1 });

    // A new worker instance, once the dead one's lease has run out.
    await app.close();
    clock.offsetMs += 10 * 60_000;
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      clock,
      webhooks: TUNING,
      env: RECEIVER_ENV,
    });
    db = app.get(DataSource);
    const delivered = await until('delivery after restart', async () =>
      (await events(campaign.id)).find((e) => e.status === 'delivered'),
    );
    expect(delivered.attempts).toBe(2);
    const got = receiver.received.filter((r) => r.path === '/hooks/crash');
    expect(got).toHaveLength(2);
    expect(got.map((r) => r.headers['x-webhook-id'])).toEqual([queued.id, queued.id]);
  }, 60_000);
});

async function startWorkerProcess(
  databaseUrl: string,
  tuning: object,
  clockOffsetMs: number,
): Promise<ChildProcess> {
  const env = { ...process.env };
  delete env.NODE_OPTIONS; // Jest's ESM flags are not for this CommonJS child
  const child = spawn(process.execPath, [await buildWebhookWorker()], {
    cwd: process.cwd(),
    env: {
      ...env,
      DATABASE_URL: databaseUrl,
      API_KEYS: TEST_API_KEY,
      CALLROUNDED_API_URL: 'http://127.0.0.1:9/v1',
      CALLROUNDED_API_KEY: 'unused-platform-key',
      ...RECEIVER_ENV,
      TEST_WEBHOOK_TUNING: JSON.stringify(tuning),
      TEST_CLOCK_OFFSET_MS: String(clockOffsetMs),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr?.on('data', (d: Buffer) => process.stderr.write(`[worker] ${d.toString()}`));
  return child;
}
