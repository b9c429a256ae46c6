import busboy from 'busboy';
import { FakeHttpServer, FakeResponse, RecordedRequest } from './fake-http-server';
import { MODERATION_CATEGORIES, type ModerationCategory } from '@provenant/shared';

/**
 * OpenAI's moderation (POST /v1/moderations) and transcription
 * (POST /v1/audio/transcriptions) APIs on a FakeHttpServer, scripted per test:
 *
 *   const server = await FakeHttpServer.start();
 *   const fake = registerFakeOpenAIModeration(server, { textScores: (t) => (t.includes('kill') ? { violence: 0.9 } : {}) });
 *   new OpenAI({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${server.url}/v1` })
 *
 * Like the real endpoint it answers one result per request with all 13
 * category scores and `category_applied_input_types`: on an image input the
 * text-only categories carry an empty list, whatever their score says.
 * `failures` script the first responses (429 with retry-after, 5xx, hangs).
 */

export const FAKE_OPENAI_API_KEY = 'sk-fake-moderation-test';

// The fake answers with the real API's 13 categories, which are also ours.
const CATEGORIES = MODERATION_CATEGORIES;
type Category = ModerationCategory;
type Scores = Partial<Record<Category, number>>;

const IMAGE_CATEGORIES: readonly Category[] = [
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'violence',
  'violence/graphic',
];

export interface FakeModerationScript {
  /** Scores for a text input (unlisted categories score 0.0001). */
  textScores?: (text: string) => Scores;
  /** Scores for an image input, given its data URL. */
  imageScores?: (dataUrl: string) => Scores;
  /** Text returned by the transcription endpoint. */
  transcript?: string;
  /** Responses for the first moderation calls, in order, before normal service (e.g. a 429, a 500, a hang). */
  failures?: FakeResponse[];
  /** Keep answering with the last entry of `failures`. */
  repeatLastFailure?: boolean;
}

export interface ReceivedModeration {
  model: string;
  input: Array<{ type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string } }>;
}

export interface FakeModerationApi {
  moderations: ReceivedModeration[];
  transcriptions: Array<{ model: string; filename: string; bytes: Buffer }>;
  /** Requests that were answered with a scripted failure. */
  failuresServed: number;
}

export function registerFakeOpenAIModeration(server: FakeHttpServer, script: FakeModerationScript = {}): FakeModerationApi {
  const api: FakeModerationApi = { moderations: [], transcriptions: [], failuresServed: 0 };
  const failures = [...(script.failures ?? [])];

  server.route('POST', '/v1/moderations', (req) => {
    const auth = unauthorised(req);
    if (auth) return auth;
    if (failures.length > 0) {
      api.failuresServed++;
      return failures.length === 1 && script.repeatLastFailure ? failures[0] : failures.shift()!;
    }
    const body = JSON.parse(req.body.toString('utf8')) as ReceivedModeration;
    api.moderations.push(body);
    const parts = typeof body.input === 'string' ? [{ type: 'text' as const, text: body.input }] : body.input;
    const image = parts.find((p) => p.type === 'image_url');
    const text = parts.filter((p) => p.type === 'text').map((p) => (p as { text: string }).text).join('\n');
    const scored = image ? (script.imageScores?.(image.image_url.url) ?? {}) : (script.textScores?.(text) ?? {});
    return { status: 200, json: moderationResponse(body.model, scored, image ? 'image' : 'text') };
  });

  server.route('POST', '/v1/audio/transcriptions', async (req) => {
    const auth = unauthorised(req);
    if (auth) return auth;
    const form = await parseMultipart(req);
    const file = form.files[0];
    if (!file) return { status: 400, json: { error: { message: 'file is required', type: 'invalid_request_error' } } };
    api.transcriptions.push({ model: form.fields.model ?? '', filename: file.filename, bytes: file.bytes });
    return { status: 200, json: { text: script.transcript ?? '' } };
  });

  return api;
}

function moderationResponse(model: string, scored: Scores, inputType: 'text' | 'image') {
  const scores = Object.fromEntries(CATEGORIES.map((c) => [c, scored[c] ?? 0.0001]));
  const applied = Object.fromEntries(
    CATEGORIES.map((c) => [c, inputType === 'text' ? ['text'] : IMAGE_CATEGORIES.includes(c) ? ['image'] : []]),
  );
  const flags = Object.fromEntries(CATEGORIES.map((c) => [c, scores[c] >= 0.5]));
  return {
    id: `modr-${Math.random().toString(36).slice(2, 10)}`,
    model,
    results: [
      {
        flagged: Object.values(flags).some(Boolean),
        categories: flags,
        category_scores: scores,
        category_applied_input_types: applied,
      },
    ],
  };
}

function unauthorised(req: RecordedRequest): FakeResponse | null {
  if (req.headers.authorization === `Bearer ${FAKE_OPENAI_API_KEY}`) return null;
  return { status: 401, json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } };
}

function parseMultipart(req: RecordedRequest): Promise<{ fields: Record<string, string>; files: Array<{ filename: string; bytes: Buffer }> }> {
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: Array<{ filename: string; bytes: Buffer }> = [];
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (_field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => files.push({ filename: info.filename ?? '', bytes: Buffer.concat(chunks) }));
    });
    parser.on('close', () => resolve({ fields, files }));
    parser.on('error', reject);
    parser.end(req.body);
  });
}
