import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { insertCampaign, type LeadsTestEnv, startLeadsEnv } from '../leads/support';
import { TEST_API_KEY } from '../kit/app';
import {
  brokenJson,
  csvBody,
  encodeLoosely,
  forgedCursor,
  nearlyValid,
  type OpenApiDocument,
  type Operation,
  queryValue,
  text,
} from './openapi-arbitraries';

/**
 * Walks every operation of the served OpenAPI document with generated bad input and asserts
 * what a client relies on: never a 5xx, every error in the contract's body, and an error
 * changes nothing. The seed is fixed so that a run is reproducible; FUZZ_SEED=<n> explores others.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261203);
const RUNS_PER_OPERATION = Number(process.env.FUZZ_RUNS ?? 40);

/** Every table a request may write, as one fingerprint. */
const FINGERPRINT = `SELECT ${[
  'campaigns',
  'leads',
  'lead_imports',
  'suppressions',
  'webhook_events',
  'call_attempts',
  'schedule_runs',
]
  .map((t) => `(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM ${t} x)`)
  .join(" || ',' || ")} AS fingerprint`;

interface FuzzRequest {
  method: string;
  path: string;
  query: [string, string][];
  contentType?: string;
  body?: string;
  withKey: boolean;
}

function operations(doc: OpenApiDocument): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => [method, path, op] as [string, string, Operation]),
  );
}

function requests(
  doc: OpenApiDocument,
  method: string,
  template: string,
  op: Operation,
  ids: () => string[],
): fc.Arbitrary<FuzzRequest> {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
  const queryNames = params.filter((p) => p.in === 'query').map((p) => p.name);
  const idLike = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...ids()) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: text },
  );
  const pathArb = fc
    .tuple(...pathParams.map(() => idLike))
    .map((values) =>
      pathParams.reduce(
        (p, name, i) => p.replace(`{${name}}`, encodeLoosely(values[i] || '-')),
        template,
      ),
    );
  // Each declared parameter is sent or not; a few unknown ones ride along.
  const declared = fc.record(
    Object.fromEntries(
      queryNames.map((name) => [
        name,
        name === 'cursor'
          ? fc.oneof({ weight: 3, arbitrary: forgedCursor(template) }, queryValue)
          : queryValue,
      ]),
    ),
    { requiredKeys: [] },
  );
  const extra = fc.array(fc.tuple(text, queryValue), { maxLength: 2 });
  const queryArb = fc
    .tuple(declared, extra)
    .map(([known, more]) =>
      [...Object.entries(known), ...more].flatMap(([k, v]) =>
        Array.isArray(v)
          ? v.map((one: string) => [k, one] as [string, string])
          : [[k, v] as [string, string]],
      ),
    );
  const content = op.requestBody?.content ?? {};
  const bodies: fc.Arbitrary<Pick<FuzzRequest, 'contentType' | 'body'>>[] = [fc.constant({})];
  const jsonSchema = content['application/json']?.schema;
  if (jsonSchema) {
    bodies.push(
      nearlyValid(doc, jsonSchema).map((v) => ({
        contentType: 'application/json',
        body: JSON.stringify(v) ?? 'null',
      })),
      brokenJson.map((body) => ({ contentType: 'application/json', body })),
    );
  }
  if (content['text/csv'] || content['multipart/form-data']) {
    bodies.push(
      csvBody.map((body) => ({ contentType: 'text/csv', body })),
      fc.tuple(csvBody, fc.constantFrom('file', 'other'), fc.boolean()).map(([csv, field, cut]) => {
        const whole = `--B\r\nContent-Disposition: form-data; name="${field}"; filename="x.csv"\r\n\r\n${csv}\r\n--B--\r\n`;
        return {
          contentType: 'multipart/form-data; boundary=B',
          body: cut ? whole.slice(0, Math.floor(whole.length / 2)) : whole,
        };
      }),
    );
  }
  if (method !== 'get')
    bodies.push(
      fc.record({
        contentType: fc.constantFrom('application/xml', 'image/png', 'text/html'),
        body: text,
      }),
    );
  return fc
    .record({
      path: pathArb,
      query: queryArb,
      body: fc.oneof(...bodies),
      // One request in ten goes without the key.
      noKey: fc.integer({ min: 0, max: 9 }),
    })
    .map(({ path, query, body, noKey }) => ({
      method,
      path,
      query,
      ...body,
      withKey: noKey !== 0,
    }));
}

describe('the served OpenAPI document, walked with generated bad input', () => {
  let env: LeadsTestEnv;
  let doc: OpenApiDocument;
  let campaignId: string;

  beforeAll(async () => {
    env = await startLeadsEnv();
    campaignId = await insertCampaign(env.pg);
    const imported = await env
      .http()
      .post(`/v1/campaigns/${campaignId}/leads`)
      .set('X-Api-Key', TEST_API_KEY)
      .set('Content-Type', 'text/csv')
      .send('phone,prenom\n+33612345678,Zoé\n+33612345679,Léa\nnot a phone,Max\n');
    expect(imported.status).toBe(201);
    // A request that deletes the campaign must not leave the rest of the walk on 404s.
    await env.pg.query('CREATE TABLE fuzz_campaign AS SELECT * FROM campaigns');
    doc = (await env.http().get('/docs-json')).body as OpenApiDocument;
  });

  afterAll(async () => {
    await env?.close();
  });

  const fingerprint = async () =>
    (await env.pg.query<{ fingerprint: string }>(FINGERPRINT)).rows[0].fingerprint;

  async function send(r: FuzzRequest) {
    const qs = r.query.map(([k, v]) => `${encodeLoosely(k)}=${encodeLoosely(v)}`).join('&');
    const url = qs ? `${r.path}?${qs}` : r.path;
    const http = env.http();
    let req = (http as unknown as Record<string, (u: string) => ReturnType<typeof http.get>>)[
      r.method
    ](url);
    if (r.withKey) req = req.set('X-Api-Key', TEST_API_KEY);
    if (r.contentType) req = req.set('Content-Type', r.contentType);
    return r.body === undefined ? req : req.send(r.body);
  }

  it('lists the operations it walks', () => {
    expect(operations(doc).length).toBeGreaterThanOrEqual(20);
  });

  it('no generated request gets a 5xx; every error has the contract body and changes nothing', async () => {
    const seen = new Map<number, number>();
    for (const [method, path, op] of operations(doc)) {
      const arb = requests(doc, method, path, op, () => [campaignId]);
      await fc.assert(
        fc.asyncProperty(arb, async (r) => {
          await env.pg.query(
            'INSERT INTO campaigns SELECT * FROM fuzz_campaign ON CONFLICT DO NOTHING',
          );
          const before = await fingerprint();
          const res = await send(r);
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          const where = `${r.method.toUpperCase()} ${r.path}`;
          expect({ where, status: res.status < 500 }).toEqual({ where, status: true });
          if (res.status >= 400) {
            expect(res.body).toMatchObject({
              statusCode: res.status,
              error: expect.any(String),
              message: expect.any(String),
            });
            if (res.body.details !== undefined) {
              for (const d of res.body.details as unknown[])
                expect(d).toEqual({ field: expect.any(String), message: expect.any(String) });
            }
            expect({ where, changed: (await fingerprint()) !== before }).toEqual({
              where,
              changed: false,
            });
          }
        }),
        { seed: SEED, numRuns: RUNS_PER_OPERATION, endOnFailure: true },
      );
    }
    if (process.env.FUZZ_VERBOSE) console.log(JSON.stringify([...seen].sort()));
    // The walk reached the validation layer, not only the key check.
    expect(seen.get(400) ?? 0).toBeGreaterThan(100);
    expect(seen.get(401) ?? 0).toBeGreaterThan(10);
    expect(seen.get(404) ?? 0).toBeGreaterThan(10);
  });
});
