import { ROLES, REVIEW_REASON_CATALOG_VERSION } from '@provenant/shared';
import { checkedCall, ContractChecker, openApiProblems, ZERO_ID, type Document } from '../support/openapi-contract';
import { MATRIX, type Who } from '../support/route-matrix';
import { startStack, type Stack } from '../support/stack';

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

  const check = (route: string, path: string, init: { token?: string; headers?: Record<string, string>; body?: unknown } = {}) => checkedCall(checker, stack.baseUrl, route, path, init);

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

  // Successes are checked with a worker in openapi-success.e2e.spec.ts; these are refusals that need a real object.
  it('refusals of writes over real objects match the document too', async () => {
    const admin = tokens.get('admin');
    const problems: string[] = [];
    const expectAnswer = async (route: string, path: string, init: Parameters<typeof check>[2], status: number) => {
      const answer = await check(route, path, init);
      problems.push(...answer.problems);
      expect({ route, status: answer.status }).toEqual({ route, status });
    };
    const user = { email: 'contract@example.com', password: 'long-enough-pass', roles: ['creator'] };
    await expectAnswer('POST /api/v1/users', '/api/v1/users', { token: admin, body: user }, 201);
    await expectAnswer('POST /api/v1/users', '/api/v1/users', { token: admin, body: user }, 409);
    const policy = (await check('GET /api/v1/moderation/policy', '/api/v1/moderation/policy', { token: admin })).body as { document: unknown };
    await expectAnswer('PUT /api/v1/moderation/policy', '/api/v1/moderation/policy', { token: admin, body: policy.document }, 409);
    await expectAnswer('GET /api/v1/audit/events', '/api/v1/audit/events?limit=0', { token: admin }, 400);
    await expectAnswer('GET /api/v1/clips', '/api/v1/clips?state=NOPE', { token: admin }, 400);
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
