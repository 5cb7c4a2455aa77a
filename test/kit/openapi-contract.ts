import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/**
 * The served OpenAPI document as a checker of real answers: the document itself must pass a
 * strict OpenAPI 3.1 validator, every schema in it must compile under Ajv's strict mode, and an
 * answer must have a documented status, a documented media type and, for JSON, a body that the
 * schema accepts. Objects are read closed here (no property the document does not name), so a
 * field the service adds without documenting it is caught too.
 */

interface MediaType {
  schema?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
  parameters?: { schema?: unknown }[];
  requestBody?: { content?: Record<string, MediaType> };
}
export interface ServedDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface Answer {
  method: string;
  /** The request URL as sent (path and query). */
  url: string;
  status: number;
  contentType: string | undefined;
  /** Bytes sent. */
  length: number;
  /** The body, when it is JSON (other bodies are not kept). */
  body: Buffer | undefined;
}

const COMPONENTS_ID = 'https://openapi.invalid/components.json';
const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

/** Each object with named properties and no word on others refuses others (test-side only). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) out[k] = k === 'example' ? v : closed(v);
  if (out.properties && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

function withLocalRefs(schema: unknown): unknown {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/$defs/`),
  );
}

function segments(path: string): string[] {
  return path.split('/').filter(Boolean);
}

export class OpenApiContract {
  private readonly ajv: Ajv2020;
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly templates: { template: string; parts: string[] }[];

  private constructor(readonly document: ServedDocument) {
    this.ajv = new Ajv2020({ strict: true, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addKeyword('example');
    this.ajv.addSchema(
      { $id: COMPONENTS_ID, $defs: withLocalRefs(closed(document.components?.schemas ?? {})) },
      COMPONENTS_ID,
    );
    this.templates = Object.keys(document.paths).map((template) => ({
      template,
      parts: segments(template),
    }));
  }

  /** Refuses a document that a strict OpenAPI validator or Ajv's strict mode rejects. */
  static async of(document: ServedDocument): Promise<OpenApiContract> {
    const result = await new Validator().validate(structuredClone(document) as never);
    if (!result.valid)
      throw new Error(`The served OpenAPI document is invalid: ${JSON.stringify(result.errors)}`);
    if (document.openapi !== '3.1.0')
      throw new Error(`Expected an OpenAPI 3.1.0 document, got ${document.openapi}`);
    const contract = new OpenApiContract(document);
    contract.compileEverySchema();
    return contract;
  }

  private compileEverySchema(): void {
    for (const name of Object.keys(this.document.components?.schemas ?? {}))
      this.ajv.compile({ $ref: `${COMPONENTS_ID}#/$defs/${name}` });
    for (const [path, item] of Object.entries(this.document.paths))
      for (const [method, op] of Object.entries(item)) {
        for (const p of op.parameters ?? []) if (p.schema) this.schemaValidator(p.schema);
        for (const m of Object.values(op.requestBody?.content ?? {}))
          if (m.schema) this.schemaValidator(m.schema);
        for (const status of Object.keys(op.responses))
          for (const media of Object.keys(op.responses[status].content ?? {}))
            this.responseValidator(path, method, status, media);
      }
  }

  private schemaValidator(schema: unknown): ValidateFunction {
    return this.ajv.compile(withLocalRefs(closed(schema)) as object);
  }

  private responseValidator(
    path: string,
    method: string,
    status: string,
    media: string,
  ): ValidateFunction | undefined {
    const key = `${method} ${path} ${status} ${media}`;
    let validate = this.compiled.get(key);
    const schema = this.document.paths[path][method].responses[status].content?.[media]?.schema;
    if (!validate && schema) {
      validate = this.schemaValidator(schema);
      this.compiled.set(key, validate);
    }
    return validate;
  }

  /** What is wrong with a request body, by the document (as a validating proxy would see it). */
  requestProblems(method: string, template: string, media: string, body: unknown): string[] {
    const schema = this.document.paths[template]?.[method]?.requestBody?.content?.[media]?.schema;
    if (!schema) return [`${method.toUpperCase()} ${template} takes no ${media} body`];
    const validate = this.schemaValidator(schema);
    return validate(body) ? [] : [this.ajv.errorsText(validate.errors, { separator: '; ' })];
  }

  /** The path template an URL falls under (literal segments beat parameters), if any. */
  templateOf(url: string): string | undefined {
    const parts = segments(new URL(url, 'http://x').pathname);
    let best: { template: string; literals: number } | undefined;
    for (const t of this.templates) {
      if (t.parts.length !== parts.length) continue;
      let literals = 0;
      const fits = t.parts.every((p, i) => {
        if (p.startsWith('{') && p.endsWith('}')) return true;
        literals++;
        return p === parts[i];
      });
      if (fits && (!best || literals > best.literals)) best = { template: t.template, literals };
    }
    return best?.template;
  }

  /** What is wrong with an answer, by the document; empty when it is as documented. */
  problems(answer: Answer): string[] {
    const template = this.templateOf(answer.url);
    const method = answer.method.toLowerCase();
    // Routes the document leaves out on purpose (the dashboard, Swagger UI's assets).
    if (!template || !METHODS.has(method)) return [];
    const op = this.document.paths[template][method];
    const where = `${answer.method} ${answer.url.slice(0, 200)} → ${answer.status}`;
    if (!op) return [];
    const status = String(answer.status);
    const documented =
      op.responses[status] ?? (answer.status >= 500 ? op.responses.default : undefined);
    if (!documented) return [`${where}: status ${status} is not documented for ${template}`];
    const statusKey = op.responses[status] ? status : 'default';
    const empty = answer.length === 0;
    const media = answer.contentType?.split(';')[0].trim().toLowerCase();
    if (!documented.content) {
      return empty ? [] : [`${where}: a body (${media}) where the document says none`];
    }
    if (method === 'head') return [];
    if (!media || !documented.content[media])
      return [
        `${where}: media type ${media ?? '(none)'} is not among ${Object.keys(documented.content).join(', ')}`,
      ];
    if (!/^application\/(.+\+)?json$/.test(media)) return [];
    let body: unknown;
    try {
      body = JSON.parse(answer.body?.toString('utf8') ?? '');
    } catch {
      return [`${where}: the body is not JSON`];
    }
    const validate = this.responseValidator(template, method, statusKey, media);
    if (validate && !validate(body))
      return [
        `${where}: the body does not match the document: ${this.ajv.errorsText(validate.errors, { separator: '; ' })}`,
      ];
    return [];
  }
}
