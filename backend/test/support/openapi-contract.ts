import { spawnSync } from 'node:child_process';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

export type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
export type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

const DOC_ID = 'urn:provenant:openapi';

/** The validator ships as an ES module only, which jest cannot load: it checks the document in a node process of its own. */
export function openApiProblems(doc: Document): { valid: boolean; errors?: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
    let text = ''; for await (const chunk of process.stdin) text += chunk;
    const result = await new Validator().validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(doc), cwd: __dirname, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
export const ZERO_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Every answer the api gives must be one the document describes: its status is
 * listed for the operation and a JSON body validates against that status's
 * schema; any other body has the documented media type.
 */
export class ContractChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: Document) {
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: DOC_ID, components: doc.components });
  }

  problems(route: string, status: number, contentType: string, text: string): string[] {
    const [method, template] = route.split(' ');
    const operation = this.doc.paths[template]?.[method.toLowerCase()];
    if (!operation) return [`${route}: not in the document`];
    const answer = operation.responses[String(status)];
    if (!answer) return [`${route}: status ${status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    if (!answer.content) return text === '' ? [] : [`${route} ${status}: documented without a body, got ${text.slice(0, 200)}`];
    const mediaType = contentType.split(';')[0].trim();
    const content = answer.content[mediaType];
    if (!content) return [`${route} ${status}: media type ${mediaType} is not documented (documented: ${Object.keys(answer.content).join(', ')})`];
    if (mediaType !== 'application/json') return [];
    const validate = this.validator(`${route} ${status}`, content.schema);
    if (validate(JSON.parse(text))) return [];
    return [`${route} ${status}: ${this.ajv.errorsText(validate.errors)} in ${text.slice(0, 300)}`];
  }

  /** What is wrong with the examples a component schema or request body gives, by its own schema. */
  exampleProblems(): string[] {
    const schemas: Record<string, { examples?: unknown[] }> = { ...(this.doc.components as { schemas: Record<string, { examples?: unknown[] }> }).schemas };
    for (const [path, operations] of Object.entries(this.doc.paths)) {
      for (const [method, op] of Object.entries(operations as Record<string, { requestBody?: { content: Record<string, { schema: { examples?: unknown[] } }> } }>)) {
        const body = op.requestBody?.content['application/json']?.schema;
        if (body) schemas[`${method} ${path} body`] = body;
      }
    }
    return Object.entries(schemas).flatMap(([name, schema]) =>
      (schema.examples ?? []).flatMap((example) => {
        const validate = this.validator(`component ${name}`, schema);
        return validate(example) ? [] : [`${name} example: ${this.ajv.errorsText(validate.errors)}`];
      }),
    );
  }

  private validator(key: string, schema: unknown): ValidateFunction {
    let validate = this.compiled.get(key);
    if (!validate) {
      const anchored = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, `"${DOC_ID}#/components/`));
      validate = this.ajv.compile(anchored);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

/** An answer to a real call, with what is wrong with it by the document. */
export interface CheckedAnswer {
  status: number;
  problems: string[];
  body: unknown;
  headers: Headers;
}

/** Calls a route for real (a JSON or multipart body) and checks the answer against the document. */
export async function checkedCall(
  checker: ContractChecker,
  baseUrl: string,
  route: string,
  path: string,
  init: { token?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<CheckedAnswer> {
  const method = route.split(' ')[0];
  const abort = new AbortController();
  const multipart = init.body instanceof FormData;
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), ...(multipart ? {} : { 'content-type': 'application/json' }), ...init.headers },
    body: init.body === undefined ? undefined : multipart ? (init.body as FormData) : JSON.stringify(init.body),
    signal: abort.signal,
  });
  const contentType = res.headers.get('content-type') ?? '';
  // An event stream never ends by itself, and media bodies are not JSON: their status and media type are what can be checked.
  const text = contentType.startsWith('text/event-stream') ? '' : contentType.startsWith('application/json') || contentType.startsWith('text/') ? await res.text() : '';
  abort.abort();
  const problems = checker.problems(route, res.status, contentType, text);
  return { status: res.status, problems, body: text && contentType.startsWith('application/json') ? JSON.parse(text) : text, headers: res.headers };
}
