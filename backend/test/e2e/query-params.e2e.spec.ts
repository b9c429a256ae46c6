import { startStack, type Stack } from '../support/stack';

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Every query parameter of every route, malformed: each is a 400 naming the parameter, never a 500. */
const CASES: [string, RegExp][] = [
  ['/api/v1/clips?cursor=garbage', /^cursor: must be the nextCursor of a previous page$/],
  [`/api/v1/clips?cursor=${b64('1|------------------------------------')}`, /^cursor: must be the nextCursor of a previous page$/],
  [`/api/v1/clips?cursor=${b64('2026-01-01T00:00:00.000000Z|not-a-uuid-but-thirty-six-characters')}`, /^cursor: must be the nextCursor/],
  ['/api/v1/clips?cursor=a&cursor=b', /^cursor: must be given once/],
  ['/api/v1/clips?limit=abc', /^limit: must be an integer from 1 to 200$/],
  ['/api/v1/clips?limit=0', /^limit: /],
  ['/api/v1/clips?state=NOPE', /^state: unknown clip state/],
  ['/api/v1/clips?state=QUEUED&state=FAILED', /^state: must be given once/],
  ['/api/v1/review/queue?limit=-1', /^limit: must be an integer from 1 to 500$/],
  ['/api/v1/audit/events?from=1', /^from: must be an ISO 8601 time/],
  ['/api/v1/audit/events?to=tomorrow', /^to: must be an ISO 8601 time/],
  ['/api/v1/audit/events?from=2026-01-01&from=2026-02-01', /^from: must be given once/],
  ['/api/v1/audit/events?cursor=x', /^cursor: must be the nextCursor of a previous page$/],
  ['/api/v1/audit/events?limit=1e3', /^limit: must be an integer from 1 to 1000$/],
  ['/api/v1/audit/events?actor=a&actor=b', /^actor: must be given once/],
  ['/api/v1/audit/proofs/inclusion?seq=abc', /^seq: must be a non-negative integer$/],
  ['/api/v1/audit/proofs/inclusion?seq=1&treeSize=-2', /^treeSize: must be a non-negative integer$/],
  ['/api/v1/audit/proofs/inclusion?seq=1&seq=2', /^seq: /],
  ['/api/v1/audit/proofs/consistency?from=x&to=1', /^from: must be a non-negative integer$/],
  ['/api/v1/audit/proofs/consistency?from=1&to[a]=1', /^to: must be a non-negative integer$/],
  ['/api/v1/audit/export?from=zero', /^from: must be a non-negative integer$/],
  ['/api/v1/audit/export?to=1.5', /^to: must be a non-negative integer$/],
];

describe('malformed query parameters', () => {
  let stack: Stack;
  let token: string;
  beforeAll(async () => {
    stack = await startStack({ workers: 0 });
    token = await stack.login();
  });
  afterAll(() => stack?.stop());

  it.each(CASES)('%s → 400 naming the parameter', async (path, message) => {
    const res = await stack.call(path, { token });
    expect({ status: res.status, message: res.body?.message }).toEqual({ status: 400, message: expect.stringMatching(message) });
  });

  it('well-formed ones still work, including a real nextCursor and ISO times', async () => {
    for (let i = 0; i < 3; i++) await stack.call('/api/v1/clips', { token, body: { prompt: `clip ${i}` } });
    const first = await stack.call('/api/v1/clips?limit=2', { token });
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await stack.call(`/api/v1/clips?limit=2&cursor=${first.body.nextCursor}`, { token });
    expect({ status: next.status, items: next.body.items.length }).toEqual({ status: 200, items: 1 });
    const events = await stack.call('/api/v1/audit/events?from=2020-01-01&to=2999-01-01T00:00:00Z&actor=&limit=5', { token });
    expect(events.status).toBe(200);
  });
});
