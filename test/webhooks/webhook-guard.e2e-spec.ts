import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createServer } from 'node:net';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { Campaign } from '../../src/campaigns/campaign.entity';
import type { DnsLookup, WebhookTuning } from '../../src/core/runtime';
import { blockedAddressReason } from '../../src/webhooks/address-policy';
import { generateWebhookSecret } from '../../src/webhooks/webhook-signature';
import { createTestDatabase, type TestDatabase } from '../kit/database';
import { startTestApp, TEST_API_KEY, testDnsLookup } from '../kit/app';
import { AGENT, insertCampaign, salonAnswers, seedLead } from '../reports/seed';
import { TestReceiver } from './receiver';

const RULES = { match: 'all', rules: [{ question: 'interested', equals: true }] };
const TUNING: Partial<WebhookTuning> = {
  webhookPollIntervalMs: 25,
  webhookTimeoutMs: 2000,
  webhookMaxAttempts: 3,
};

/**
 * The resolver of this test: `rebind.example.net` answers a public address once, then loopback
 * (a DNS rebinding); `crm.internal` is an operator's host on 127.0.0.1; `intranet.example.net` is
 * private. Nothing here reaches a host outside the machine.
 */
let rebindAnswers = 0;
const lookup: DnsLookup = async (host) => {
  if (host === 'rebind.example.net')
    return [{ address: rebindAnswers++ === 0 ? '203.0.113.20' : '127.0.0.1', family: 4 }];
  if (host === 'crm.internal') return [{ address: '127.0.0.1', family: 4 }];
  if (host === 'intranet.example.net')
    return [
      { address: '203.0.113.7', family: 4 },
      { address: '10.1.2.3', family: 4 },
    ];
  return testDnsLookup(host);
};

describe('webhook URLs: no internal address, at save and at every delivery', () => {
  let database: TestDatabase;
  let app: INestApplication;
  let db: DataSource;
  let receiver: TestReceiver;
  const secret = generateWebhookSecret();
  const api = () => request(app.getHttpServer());

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await new TestReceiver(secret).start();
    app = await startTestApp({
      databaseUrl: database.url,
      platformUrl: 'http://127.0.0.1:9/v1',
      platformKey: 'unused-platform-key',
      webhooks: TUNING,
      dnsLookup: lookup,
      env: { WEBHOOK_ALLOWED_HOSTS: 'crm.internal' },
    });
    db = app.get(DataSource);
  });
  afterAll(async () => {
    await app?.close();
    await receiver?.close();
    await database?.drop();
  });

  const create = (webhook_url: string) =>
    api()
      .post('/v1/campaigns')
      .set('X-Api-Key', TEST_API_KEY)
      .send({ name: 'Hook', agent_id: AGENT.id, from_numbers: ['+33912345678'], webhook_url });

  it.each([
    ['http://crm.example.com/hook', 'must use https'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://10.0.0.5:8080/hook', 'private'],
    ['https://192.168.1.1/hook', 'private'],
    ['https://[fd12::1]/hook', 'unique-local'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://0.0.0.0:54329/', 'unspecified'],
    ['https://localhost:54329/', 'resolves to a loopback address'],
    ['https://intranet.example.net/hook', 'resolves to a private address'],
    ['https://nowhere.invalid/hook', 'does not resolve'],
  ])('refuses %s at save (400 naming webhook_url)', async (url, why) => {
    const res = await create(url).expect(400);
    expect(res.body.details).toEqual([
      { field: 'webhook_url', message: expect.stringContaining(why) },
    ]);
  });

  it('accepts a public https host, and http to an allowed host; a PATCH is checked the same way', async () => {
    const ok = await create('https://crm.example.com/hooks/calls').expect(201);
    await create('http://crm.internal:8080/hook').expect(201);
    const refused = await api()
      .patch(`/v1/campaigns/${ok.body.id}`)
      .set('X-Api-Key', TEST_API_KEY)
      .send({ webhook_url: 'https://169.254.169.254/' })
      .expect(400);
    expect(refused.body.details[0].field).toBe('webhook_url');
    const [row] = await db.query('SELECT webhook_url FROM campaigns WHERE id = $1', [ok.body.id]);
    expect(row.webhook_url).toBe('https://crm.example.com/hooks/calls');
  });

  let phone = 500;
  const qualifiedLead = (c: Campaign) =>
    seedLead(app, c, {
      phone: `+336123${String(++phone).padStart(5, '0')}`,
      variables: { prenom: 'Zoé' },
      status: 'completed',
      attempts: [
        {
          outcome: 'completed',
          cost: 0.2,
          duration: 95,
          answers: salonAnswers({ interested: true, nb_employes: 4 }),
        },
      ],
    });
  const campaign = (webhook_url: string) =>
    insertCampaign(db, {
      qualification: RULES,
      webhook_url,
      webhook_secret: secret,
      status: 'completed',
    });
  async function settled(
    campaignId: string,
  ): Promise<{ status: string; attempts: number; last_error: string | null }> {
    for (let i = 0; ; i++) {
      const [e] = await db.query(
        `SELECT status, attempts, last_error FROM webhook_events WHERE campaign_id = $1`,
        [campaignId],
      );
      if (e && e.status !== 'pending') return e;
      if (i > 400) throw new Error(`event still pending: ${JSON.stringify(e)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  it('a name that rebinds to loopback after the save is refused at delivery, never connected to', async () => {
    const saved = await create('https://rebind.example.net/hook').expect(201);
    const c = await db.getRepository('Campaign').findOneByOrFail({ id: saved.body.id });
    await db.query(
      `UPDATE campaigns SET qualification = $2, questions = $3, webhook_secret = $4, status = 'completed' WHERE id = $1`,
      [
        c.id,
        JSON.stringify(RULES),
        JSON.stringify((await campaign('https://crm.example.com/x')).questions),
        secret,
      ],
    );
    const before = receiver.received.length;
    await qualifiedLead(
      (await db.getRepository('Campaign').findOneByOrFail({ id: c.id })) as Campaign,
    );
    const event = await settled(c.id);
    expect(event).toEqual({
      status: 'failed',
      attempts: 1,
      last_error: 'request failed: blocked address',
    });
    expect(receiver.received.length).toBe(before);
  });

  it('an allowed host name is delivered to the address its own lookup checked', async () => {
    const port = new URL(receiver.url).port;
    const c = await campaign(`http://crm.internal:${port}/allowed`);
    await qualifiedLead(c);
    expect(await settled(c.id)).toMatchObject({ status: 'delivered' });
    expect(receiver.received.some((r) => r.path === '/allowed')).toBe(true);
  });

  it('a URL stored with an internal address is refused at delivery', async () => {
    const c = await campaign(`https://127.0.0.1:${new URL(receiver.url).port}/old`);
    await qualifiedLead(c);
    const event = await settled(c.id);
    expect(event.status).toBe('failed');
    expect(event.last_error).toContain('loopback');
  });

  it('delivery errors are categories, without the internal host or port', async () => {
    const closed = await new Promise<number>((resolve) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const c = await campaign(`http://crm.internal:${closed}/down`);
    await qualifiedLead(c);
    for (let i = 0; ; i++) {
      const [e] = await db.query(`SELECT last_error FROM webhook_events WHERE campaign_id = $1`, [
        c.id,
      ]);
      if (e?.last_error) {
        expect(e.last_error).toBe('request failed: connection refused');
        expect(e.last_error).not.toContain(String(closed));
        break;
      }
      if (i > 400) throw new Error('no delivery attempt recorded');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('classifies addresses', () => {
    expect(blockedAddressReason('8.8.8.8')).toBeNull();
    expect(blockedAddressReason('2001:4860:4860::8888')).toBeNull();
    expect(blockedAddressReason('::ffff:7f00:1')).toBe('loopback');
    expect(blockedAddressReason('64:ff9b::a9fe:a9fe')).toBe('link-local');
    expect(blockedAddressReason('2002:0a00:0001::')).toBe('private');
    expect(blockedAddressReason('100.64.0.1')).toBe('private');
    expect(blockedAddressReason('255.255.255.255')).toBe('reserved');
  });
});
