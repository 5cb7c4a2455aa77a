import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client } from 'pg';
import { runMigrations } from '../../../src/database/migrate';
import { startSimulator, type SimulatorHandle } from '../../../src/simulator';
import { createTestDatabase, type TestDatabase } from '../../kit/database';
import { addLeads, phones, setCampaignStatus } from '../../kit/factories';
import { AGENT_ID, FAST_CALLS, FROM_NUMBERS, scenarioWith } from '../../kit/simulator';
import { createCampaign, FAST_TUNING } from '../support/engine-fixtures';
import { waitFor } from '../../kit/wait';
import { buildEngineInstance, type EngineProcess, spawnEngine } from '../../kit/instances';

/** Long enough that only a handed-back lease lets another instance in during the test. */
const LONG = { ...FAST_TUNING, leaseMs: 120_000, reconcileGraceMs: 120_000 };

interface LeaseRow {
  id: string;
  state: string;
  lease_owner: string | null;
  lease_expires_at: Date | null;
  reconcile_until: Date | null;
}

describe('a SIGTERMed worker hands back its leases on starting and ambiguous attempts', () => {
  let db: TestDatabase;
  let pg: Client;
  let sim: SimulatorHandle;
  let main: string;
  const running: EngineProcess[] = [];

  const spawnWorker = async (tuning: object, env: Record<string, string> = {}) => {
    const p = await spawnEngine({
      main,
      databaseUrl: db.url,
      platformUrl: sim.url,
      platformKey: sim.apiKey,
      role: 'worker',
      tuning,
      env,
    });
    running.push(p);
    await p.ready();
    return p;
  };

  const attempts = async (ids: string[]): Promise<LeaseRow[]> =>
    (
      await pg.query(
        `SELECT id, state, lease_owner, lease_expires_at, reconcile_until FROM call_attempts
          WHERE id = ANY($1::uuid[]) ORDER BY id`,
        [ids],
      )
    ).rows;

  beforeAll(async () => {
    main = await buildEngineInstance();
    db = await createTestDatabase();
    await runMigrations(db.url);
    pg = new Client({ connectionString: db.url });
    await pg.connect();
    sim = await startSimulator({
      port: 0,
      scenario: scenarioWith({ completed: 1 }),
      durations: { ...FAST_CALLS, talkMinMs: 60_000, talkMaxMs: 60_000 },
      // Every POST creates its call but never answers, and the list does not show the calls
      // yet: the starts stay ambiguous, under reconciliation by the worker.
      faults: { postNoAnswerRate: 1, postNoAnswerMode: 'hang', listLagMs: 600_000 },
    });
  }, 120_000);

  afterAll(async () => {
    for (const p of running) p.proc.kill('SIGKILL');
    await pg?.end();
    await sim?.close();
    await db?.drop();
  });

  it('leaves no lease of its own behind, so another instance reconciles at once', async () => {
    const id = await createCampaign(pg, { max_concurrent_calls: 2 });
    await addLeads(pg, id, phones(2, 0));
    await setCampaignStatus(pg, id, 'running');
    const worker = await spawnWorker(LONG, { CALLROUNDED_TIMEOUT_MS: '1000' });

    // Both starts timed out (ambiguous) and the worker is reconciling them: its leases.
    let owner = '';
    await waitFor('the worker reconciling both ambiguous starts', async () => {
      const { rows } = await pg.query(
        `SELECT lease_owner FROM call_attempts
          WHERE campaign_id = $1 AND state = 'ambiguous' AND lease_owner IS NOT NULL`,
        [id],
      );
      owner = rows[0]?.lease_owner ?? '';
      return rows.length === 2;
    });
    const ambiguous = (
      await pg.query(`SELECT id FROM call_attempts WHERE campaign_id = $1`, [id])
    ).rows.map((r) => r.id as string);

    // A start the worker holds whose outcome it never recorded, and another instance's lease.
    const other = await createCampaign(pg);
    await addLeads(pg, other, phones(2, 500));
    const { rows: inserted } = await pg.query(
      `WITH l AS (UPDATE leads SET status = 'calling', attempts = 1 WHERE campaign_id = $1 RETURNING id, phone, seq)
       INSERT INTO call_attempts (lead_id, campaign_id, attempt_number, agent_id, from_number, to_number,
                                  state, requested_at, lease_owner, lease_expires_at, reconcile_until)
       SELECT l.id, $1, 1, $2, $3, l.phone,
              CASE WHEN l.seq = min(l.seq) OVER () THEN 'starting' ELSE 'ambiguous' END, now(),
              CASE WHEN l.seq = min(l.seq) OVER () THEN $4 ELSE 'another-host-1-abcdef' END,
              now() + interval '120 s',
              CASE WHEN l.seq = min(l.seq) OVER () THEN NULL ELSE now() + interval '120 s' END
         FROM l
       RETURNING id, state`,
      [other, AGENT_ID, FROM_NUMBERS[0], owner],
    );
    const unrecorded = inserted.find((r) => r.state === 'starting').id as string;
    const foreign = inserted.find((r) => r.state === 'ambiguous').id as string;
    const foreignBefore = await attempts([foreign]);

    worker.proc.kill('SIGTERM');
    expect(await worker.exited()).toBe(0);

    // Right after the exit: no lease of the worker's is left, every row still holds its slot.
    const after = await attempts([...ambiguous, unrecorded]);
    expect(after.map((a) => [a.state, a.lease_owner, a.lease_expires_at])).toEqual([
      ['ambiguous', null, null],
      ['ambiguous', null, null],
      ['ambiguous', null, null],
    ]);
    expect((await attempts([unrecorded]))[0].reconcile_until).not.toBeNull();
    // Only its own: another instance's lease is untouched.
    expect(await attempts([foreign])).toEqual(foreignBefore);

    // Another instance takes them over at once (not after the 120 s lease).
    const next = await spawnWorker(LONG);
    await waitFor(
      'the next instance reconciling both ambiguous starts',
      async () =>
        (await attempts(ambiguous)).every((a) => a.lease_owner !== null && a.lease_owner !== owner),
      30_000,
    );
    next.proc.kill('SIGTERM');
    expect(await next.exited()).toBe(0);
    expect((await attempts(ambiguous)).map((a) => a.lease_owner)).toEqual([null, null]);
    // Nothing was dialled twice meanwhile.
    expect(sim.calls()).toHaveLength(2);
  });
});
