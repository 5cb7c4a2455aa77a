/**
 * @nestjs/swagger writes OpenAPI 3.0 with `nullable: true`, and a nullable reference as
 * `{nullable, allOf: [$ref]}`, which strict validators read as "null not allowed" (in 3.0.3
 * `nullable` only widens a `type` of the same schema object). The served document is OpenAPI
 * 3.1 instead, where null is a type like any other: type arrays and `oneOf [..., {type: null}]`.
 */

type Json = unknown;
type JsonObject = Record<string, Json>;

const isObject = (v: Json): v is JsonObject =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A schema that also admits null, written the way JSON Schema 2020-12 says it. */
function admitNull(schema: JsonObject): JsonObject {
  const { nullable: _nullable, ...rest } = schema;
  const NULL = { type: 'null' };
  if (typeof rest.$ref === 'string' || Array.isArray(rest.allOf)) {
    const { $ref, allOf, type: _type, description, ...annotations } = rest;
    const parts = Array.isArray(allOf) ? (allOf as Json[]) : [];
    const inner = $ref ? { $ref } : parts.length === 1 ? parts[0] : { allOf: parts };
    return { ...annotations, ...(description ? { description } : {}), oneOf: [inner, NULL] };
  }
  if (Array.isArray(rest.oneOf)) return { ...rest, oneOf: [...(rest.oneOf as Json[]), NULL] };
  if (Array.isArray(rest.anyOf)) return { ...rest, anyOf: [...(rest.anyOf as Json[]), NULL] };
  if (typeof rest.type === 'string') {
    const widened: JsonObject = { ...rest, type: [rest.type, 'null'] };
    if (Array.isArray(rest.enum) && !rest.enum.includes(null))
      widened.enum = [...(rest.enum as Json[]), null];
    return widened;
  }
  // No type at all: it already admits null.
  return rest;
}

function convert(value: Json): Json {
  if (Array.isArray(value)) return value.map(convert);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [key, child] of Object.entries(value)) out[key] = convert(child);
  // Only a boolean is the keyword: a property that happens to be named `nullable` is an object.
  if (typeof out.nullable === 'boolean') {
    if (out.nullable) return admitNull(out);
    delete out.nullable;
  }
  return out;
}

/** The same document as OpenAPI 3.1.0 (every other 3.0 construct it uses is valid 3.1). */
export function toOpenApi31<T extends object>(document: T): T {
  const converted = convert(document) as JsonObject;
  converted.openapi = '3.1.0';
  return converted as T;
}
