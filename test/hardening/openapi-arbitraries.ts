import fc from 'fast-check';

/** The parts of an OpenAPI 3.1 document the fuzzer reads. */
export interface Schema {
  $ref?: string;
  /** 3.1: a nullable value lists `null` beside its type. */
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}

export interface Operation {
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Texts that break naive code: SQL, path tricks, NUL, huge numbers, lone surrogates, long runs. */
const NASTY = fc.constantFrom(
  '',
  ' ',
  'null',
  'true',
  '-1',
  '0',
  '1e999',
  'NaN',
  '99999999999999999999',
  "' OR 1=1 --",
  '../../etc/passwd',
  '%00',
  '\u0000',
  '\ud83d',
  '👩🏽‍💻',
  '<script>alert(1)</script>',
  '{"$gt":""}',
  'a'.repeat(5000),
  '+33612345678',
  '00000000-0000-0000-0000-000000000000',
);

export const text = fc.oneof(
  NASTY,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
);

/** Any JSON value, a little deep. */
export const json = fc.jsonValue({ maxDepth: 3 });

function resolve(doc: OpenApiDocument, schema: Schema): Schema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) {
    const name = s.$ref.split('/').pop()!;
    s = doc.components?.schemas?.[name] ?? {};
  }
  return s;
}

/**
 * Values shaped like the schema but wrong somewhere: each field is sometimes right, sometimes any
 * JSON value, sometimes missing; unknown fields are sometimes added. Some come out valid, which
 * is fine: the test only asserts that nothing changed when the answer is an error.
 */
export function nearlyValid(
  doc: OpenApiDocument,
  schema: Schema,
  depth = 0,
): fc.Arbitrary<unknown> {
  const s = resolve(doc, schema);
  const alternatives = s.oneOf ?? s.anyOf ?? s.allOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((a) => nearlyValid(doc, a, depth + 1)));
  const wrong =
    depth > 4 ? json : fc.oneof({ weight: 1, arbitrary: json }, { weight: 1, arbitrary: text });
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  let right: fc.Arbitrary<unknown>;
  if (s.enum && s.enum.length > 0) right = fc.constantFrom(...s.enum);
  else if (type === 'object' || s.properties) {
    const props = Object.entries(s.properties ?? {}).map(
      ([key, child]) => [key, nearlyValid(doc, child, depth + 1)] as const,
    );
    right = fc
      .tuple(
        fc.record(Object.fromEntries(props), { requiredKeys: [] }),
        fc.dictionary(fc.string({ maxLength: 12 }), json, { maxKeys: 2 }),
        fc.boolean(),
      )
      .map(([known, extra, addExtra]) => (addExtra ? { ...extra, ...known } : known));
  } else if (type === 'array')
    right = fc.array(nearlyValid(doc, s.items ?? {}, depth + 1), { maxLength: 4 });
  else if (type === 'integer')
    right = fc.oneof(fc.integer(), fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, 1.5));
  else if (type === 'number') right = fc.double();
  else if (type === 'boolean') right = fc.boolean();
  else right = text;
  return fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: wrong });
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** ISO timestamps, many of them impossible: 31 February, hour 24, year 99999. */
const isoLike = fc
  .tuple(
    fc.integer({ min: 0, max: 99_999 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.integer({ min: 0, max: 25 }),
  )
  .map(([y, m, d, h]) => `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(h)}:00:00Z`);

/** The key each list's cursor holds (src/common/cursor.ts), by the path that serves the list. */
const CURSOR_SHAPES: [RegExp, string, ('time' | 'number' | 'uuid' | 'phone')[]][] = [
  [/\/leads$/, 'leads', ['number']],
  [/\/imports$/, 'imports', ['time', 'uuid']],
  [/\/webhook-events$/, 'webhook-events', ['time', 'uuid']],
  [/\/report$/, 'report', ['number']],
  [/^\/v1\/campaigns$/, 'campaigns', ['number', 'uuid']],
  [/^\/v1\/suppressions$/, 'suppressions', ['phone']],
];

const PART: Record<'time' | 'number' | 'uuid' | 'phone', fc.Arbitrary<string>> = {
  time: isoLike,
  number: fc.oneof(fc.bigInt().map(String), fc.constantFrom('9223372036854775808', '1e400', '-0')),
  uuid: fc.uuid(),
  phone: fc.oneof(fc.stringMatching(/^\+\d{1,25}$/), fc.constant('+')),
};

/**
 * Cursors made by hand for the list at `path`: its tag and a key of the right shape whose parts
 * are each plausible (an impossible date, a number past bigint, a random id) or any text.
 */
export function forgedCursor(path: string): fc.Arbitrary<string> {
  const shape = CURSOR_SHAPES.find(([re]) => re.test(path));
  const tag = shape ? fc.constant(shape[1]) : fc.constantFrom(...CURSOR_SHAPES.map((s) => s[1]));
  const parts = shape
    ? fc.tuple(...shape[2].map((kind) => fc.oneof({ weight: 3, arbitrary: PART[kind] }, text)))
    : fc.array(text, { minLength: 1, maxLength: 3 });
  return fc
    .tuple(tag, parts)
    .map(([t, p]) => Buffer.from(`${t}:${p.join('|')}`, 'utf8').toString('base64url'));
}

/** A query parameter's value: one text, or the parameter repeated. */
export const queryValue = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 1, arbitrary: fc.array(text, { minLength: 2, maxLength: 3 }) },
);

/** Bodies that are not JSON at all, or JSON cut short. */
export const brokenJson = fc.oneof(
  fc.string({ maxLength: 60 }),
  json.map((v) => JSON.stringify(v)).map((t) => t.slice(0, Math.max(1, Math.floor(t.length / 2)))),
  fc.constantFrom('{', '[', '{"name":', 'nul', '{"a":1}}', '\u0000{}', '{"__proto__":{"x":1}}'),
);

/** Bytes sent as a CSV file: random text, broken quotes, binary, a header only. */
export const csvBody = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.constantFrom(
    'phone\n',
    'phone,"prenom\n+33612345678,"Zoé\n',
    '\ufeffphone;prénom\r\n0612345678;Léa\r\n',
    'PK\u0003\u0004binary',
    'a,b,c\n1,2,3\n',
    'phone\n+1\n+999999999999999999999\nabc\n',
  ),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b).toString('latin1')),
);

/**
 * Percent-encodes like encodeURIComponent, but a lone surrogate becomes its raw three bytes
 * (%ED%A0%BD): invalid UTF-8 that a hostile client can send and the service must refuse cleanly.
 */
export function encodeLoosely(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i);
    const next = value.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += encodeURIComponent(value.slice(i, i + 2));
      i++;
    } else if (unit >= 0xd800 && unit <= 0xdfff) {
      const bytes = [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)];
      out += bytes.map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(value[i]);
  }
  return out;
}
