import { spawnSync } from 'node:child_process';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { ROLES, REVIEW_REASON_CATALOG_VERSION } from '@provenant/shared';
import { MATRIX, type Who } from '../support/route-matrix';
import { startStack, type Stack } from '../support/stack';

type Operation = { responses: Record<string, { content?: Record<string, { schema: unknown }> }> };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: Record<string, unknown> };

const DOC_ID = 'urn:provenant:openapi';

/** The validator ships as an ES module only, which jest cannot load: it checks the document in a node process of its own. */
function openApiProblems(doc: Document): { valid: boolean; errors?: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
    let text = ''; for await (const chunk of process.stdin) text += chunk;
    const result = await new Validator().validate(JSON.parse(text));
    process.stdout.write(JSON.stringify({ valid: result.valid, errors: result.errors }));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(doc), cwd: __dirname, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the validator failed: ${run.stderr}`);
  return JSON.parse(run.stdout);
}
const ZERO_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Every answer the api gives must be one the document describes: its status is
 * listed for the operation and a JSON body validates against that status's
 * schema; any other body has the documented media type.
 */
class ContractChecker {
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

describe('the OpenAPI document', () => {
  let stack: Stack;
  let doc: Document;
  let checker: ContractChecker;
  const tokens = new Map<Who, string | undefined>();

  beforeAll(async () => {
    // A loopback receiver address that is allowed, so a webhook can be registered (no worker delivers to it).
    stack = await startStack({ workers: 0, env: { WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1:9' } });
    doc = (await stack.call('/api/docs-json')).body;
    checker = new ContractChecker(doc);
    const admin = await stack.login();
    tokens.set('anonymous', undefined);
    for (const role of ROLES) tokens.set(role, role === 'admin' ? admin : (await stack.userWithRoles([role], admin)).token);
  });
  afterAll(() => stack?.stop());

  /** Calls a route for real and returns what is wrong with the answer by the document. */
  async function check(route: string, path: string, init: { token?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; problems: string[]; body: unknown }> {
    const method = route.split(' ')[0];
    const abort = new AbortController();
    const res = await fetch(`${stack.baseUrl}${path}`, {
      method,
      headers: { ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), 'content-type': 'application/json', ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: abort.signal,
    });
    const contentType = res.headers.get('content-type') ?? '';
    // An event stream never ends by itself: its status and media type are what can be checked.
    const text = contentType.startsWith('text/event-stream') ? '' : await res.text();
    abort.abort();
    const problems = checker.problems(route, res.status, contentType, text);
    return { status: res.status, problems, body: text && contentType.startsWith('application/json') ? JSON.parse(text) : text };
  }

  it('is a valid OpenAPI 3.1 document', () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = openApiProblems(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('states every request body, query parameter and security scheme', () => {
    expect(Object.keys((doc.components as { securitySchemes: object }).securitySchemes).sort()).toEqual(['apiKey', 'bearer']);
    const decision = doc.paths['/api/v1/review/{clipId}/decision'].post as unknown as { requestBody: { content: Record<string, { schema: { properties: object; examples: unknown[] } }> } };
    const decisionBody = decision.requestBody.content['application/json'].schema;
    expect(Object.keys(decisionBody.properties).sort()).toEqual(['decision', 'note', 'reasonCode']);
    expect(decisionBody.examples).toContainEqual({ decision: 'approve', reasonCode: 'APPROVE_POLICY_COMPLIANT' });
    const schemas = (doc.components as { schemas: Record<string, { examples?: unknown[] }> }).schemas;
    expect(schemas.ApiErrorDto.examples).toHaveLength(1);
    expect(checker.exampleProblems()).toEqual([]);
    const list = doc.paths['/api/v1/clips'].get as unknown as { parameters: { name: string; in: string }[] };
    expect(list.parameters.map((p) => `${p.in}:${p.name}`).sort()).toEqual(['query:cursor', 'query:limit', 'query:state']);
    const submit = doc.paths['/api/v1/clips'].post as unknown as { security: object[] };
    expect(submit.security).toEqual(expect.arrayContaining([{ bearer: [] }, { apiKey: [] }]));
  });

  // Each route of the access matrix, as every role: the refusals, the bad-input errors and the answers to reads.
  it.each(Object.keys(MATRIX))('%s answers as documented, for every role', async (route) => {
    const path = route.split(' ')[1].replace(/\{(id|clipId)\}/g, ZERO_ID).replace('{sha256}', 'a'.repeat(64));
    const problems: string[] = [];
    for (const [, token] of tokens) {
      const method = route.split(' ')[0];
      problems.push(...(await check(route, path, { token, body: method === 'GET' || method === 'DELETE' ? undefined : {} })).problems);
    }
    expect(problems).toEqual([]);
  });

  it('successful answers to writes match the document too', async () => {
    const admin = tokens.get('admin');
    const creator = tokens.get('creator');
    const problems: string[] = [];
    const ok = async (route: string, path: string, init: Parameters<typeof check>[2], status: number) => {
      const answer = await check(route, path, init);
      problems.push(...answer.problems);
      expect({ route, status: answer.status, body: answer.status === status ? undefined : answer.body }).toEqual({ route, status, body: undefined });
      return answer.body as Record<string, unknown>;
    };
    const login = await ok('POST /api/v1/auth/login', '/api/v1/auth/login', { body: stack.admin }, 200);
    await ok('POST /api/v1/auth/login', '/api/v1/auth/login', { body: { ...stack.admin, refreshTokenIn: 'cookie' } }, 200);
    const refreshed = await ok('POST /api/v1/auth/refresh', '/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }, 200);
    await ok('POST /api/v1/auth/logout', '/api/v1/auth/logout', { token: refreshed.accessToken as string, body: { refreshToken: refreshed.refreshToken } }, 204);
    const user = await ok('POST /api/v1/users', '/api/v1/users', { token: admin, body: { email: 'contract@example.com', password: 'long-enough-pass', roles: ['creator'] } }, 201);
    await ok('POST /api/v1/users', '/api/v1/users', { token: admin, body: { email: 'contract@example.com', password: 'long-enough-pass', roles: ['creator'] } }, 409);
    await ok('PATCH /api/v1/users/{id}', `/api/v1/users/${user.id}`, { token: admin, body: { roles: ['creator', 'publisher'] } }, 200);
    const key = await ok('POST /api/v1/api-keys', '/api/v1/api-keys', { token: admin, body: { name: 'contract', userId: user.id } }, 201);
    const clip = await ok('POST /api/v1/clips', '/api/v1/clips', { headers: { 'x-api-key': key.key as string }, body: { prompt: 'a lighthouse at dusk' } }, 202);
    await ok('GET /api/v1/clips/{id}', `/api/v1/clips/${clip.id}`, { token: admin }, 200);
    await ok('GET /api/v1/audit/clips/{id}/timeline', `/api/v1/audit/clips/${clip.id}/timeline`, { token: admin }, 200);
    await ok('DELETE /api/v1/api-keys/{id}', `/api/v1/api-keys/${key.id}`, { token: admin }, 204);
    const hook = await ok('POST /api/v1/webhooks', '/api/v1/webhooks', { token: creator, body: { url: 'http://127.0.0.1:9/hook' } }, 201);
    await ok('GET /api/v1/webhooks/{id}/deliveries', `/api/v1/webhooks/${hook.id}/deliveries`, { token: creator }, 200);
    await ok('DELETE /api/v1/webhooks/{id}', `/api/v1/webhooks/${hook.id}`, { token: creator }, 204);
    const policy = await ok('GET /api/v1/moderation/policy', '/api/v1/moderation/policy', { token: admin }, 200);
    await ok('PUT /api/v1/moderation/policy', '/api/v1/moderation/policy', { token: admin, body: policy.document }, 409);
    await stack.waitFor(async () => (await stack.call('/api/v1/audit/checkpoints/latest', { token: admin })).status === 200, 20_000, 'a signed checkpoint');
    const { treeSize } = await ok('GET /api/v1/audit/checkpoints/latest', '/api/v1/audit/checkpoints/latest', { token: admin }, 200);
    await ok('GET /api/v1/audit/proofs/inclusion', `/api/v1/audit/proofs/inclusion?seq=1&treeSize=${treeSize}`, { token: admin }, 200);
    await ok('GET /api/v1/audit/proofs/consistency', `/api/v1/audit/proofs/consistency?from=${treeSize}&to=${treeSize}`, { token: admin }, 200);
    await ok('GET /api/v1/audit/events', '/api/v1/audit/events?limit=2', { token: admin }, 200);
    await ok('GET /api/v1/audit/events', '/api/v1/audit/events?limit=0', { token: admin }, 400);
    await ok('GET /api/v1/clips', '/api/v1/clips?state=NOPE', { token: admin }, 400);
    await ok('DELETE /api/v1/users/{id}/personal-data', `/api/v1/users/${user.id}/personal-data`, { token: admin }, 200);
    expect(problems).toEqual([]);
  });

  it('serves the catalogues, and a wrong reason code lists the valid ones', async () => {
    const reviewer = tokens.get('reviewer');
    const reasons = await check('GET /api/v1/review/reason-codes', '/api/v1/review/reason-codes', { token: tokens.get('publisher') });
    expect(reasons.problems).toEqual([]);
    expect(reasons.body).toMatchObject({ version: REVIEW_REASON_CATALOG_VERSION, codes: { escalate: expect.arrayContaining([{ code: 'ESCALATE_LEGAL', label: expect.any(String) }]) } });
    const states = (await check('GET /api/v1/catalogues/clip-states', '/api/v1/catalogues/clip-states', { token: reviewer })).body as { states: { state: string; next: string[]; terminal: boolean }[] };
    expect(states.states.find((s) => s.state === 'REJECTED')).toEqual({ state: 'REJECTED', next: ['AWAITING_REVIEW'], terminal: false, processing: false });
    expect(states.states.find((s) => s.state === 'RELEASED')).toMatchObject({ next: [], terminal: true });
    const checks = (await check('GET /api/v1/catalogues/check-kinds', '/api/v1/catalogues/check-kinds', { token: reviewer })).body;
    expect(checks).toMatchObject({ verdicts: ['allow', 'review', 'block'], checks: expect.arrayContaining([{ kind: 'moderation', stages: ['prompt_moderation', 'clip_moderation'] }]) });

    const wrong = await check('POST /api/v1/review/{clipId}/decision', `/api/v1/review/${ZERO_ID}/decision`, { token: reviewer, body: { decision: 'escalate', reasonCode: 'REJECT_VIOLENCE' } });
    expect(wrong.problems).toEqual([]);
    expect(wrong.body).toMatchObject({
      statusCode: 400,
      message: `reasonCode: "REJECT_VIOLENCE" is not a reason to escalate in catalog ${REVIEW_REASON_CATALOG_VERSION}; valid: ESCALATE_UNCERTAIN, ESCALATE_POSSIBLE_LIKENESS, ESCALATE_POSSIBLE_MINOR, ESCALATE_LEGAL`,
    });
  });
});
