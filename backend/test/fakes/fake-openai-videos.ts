import busboy from 'busboy';
import { FakeHttpServer, FakeResponse, RecordedRequest } from './fake-http-server';

/**
 * The OpenAI videos API (POST /v1/videos, GET /v1/videos/:id,
 * GET /v1/videos/:id/content) on a FakeHttpServer, scripted per test:
 *
 *   const server = await FakeHttpServer.start();
 *   const videos = registerFakeOpenAIVideos(server, { content: mp4Bytes });
 *   new OpenAI({ apiKey: FAKE_OPENAI_API_KEY, baseURL: `${server.url}/v1` })
 *
 * The real openai SDK talks to it over HTTP, so request encoding (multipart
 * uploads, auth headers, retries) is exercised for real.
 */

export const FAKE_OPENAI_API_KEY = 'sk-fake-videos-test';

export type FakeVideoStatus = 'queued' | 'in_progress' | 'completed' | 'failed';

export interface FakeVideosScript {
  /** MP4 bytes served as the finished video. */
  content?: Buffer;
  /** Status reported by create and then by each retrieve; the last one repeats. */
  statuses?: FakeVideoStatus[];
  /** Error payload of a job that ends 'failed'. */
  failure?: { code: string; message: string };
  /** Responses for the first create calls (e.g. a 500, or a 429 forever with `repeat`), before normal service. */
  createErrors?: Array<{ status: number; json?: unknown; headers?: Record<string, string> }>;
  /** Keep returning the last createErrors entry for every create. */
  repeatLastCreateError?: boolean;
  /** Never answer this endpoint. */
  hang?: 'create' | 'retrieve' | 'content';
}

export interface ReceivedUpload {
  field: string;
  /** From the part header; '' when the client sent none. */
  filename: string;
  mimeType: string;
  bytes: Buffer;
}

export interface ReceivedCreate {
  fields: Record<string, string>;
  files: ReceivedUpload[];
}

export interface FakeOpenAIVideos {
  /** Every create request that got through to job creation, parsed from multipart. */
  readonly creates: ReceivedCreate[];
  /** Number of GET /v1/videos/:id calls answered. */
  readonly retrieveCount: () => number;
}

const DEFAULT_STATUSES: FakeVideoStatus[] = ['queued', 'in_progress', 'completed'];

export function registerFakeOpenAIVideos(server: FakeHttpServer, script: FakeVideosScript = {}): FakeOpenAIVideos {
  const statuses = script.statuses ?? DEFAULT_STATUSES;
  const jobs = new Map<string, { params: Record<string, string>; polls: number; createdAt: number }>();
  const creates: ReceivedCreate[] = [];
  let createCalls = 0;
  let retrieves = 0;

  const videoObject = (id: string) => {
    const job = jobs.get(id)!;
    const status = statuses[Math.min(job.polls, statuses.length - 1)];
    return {
      id,
      object: 'video',
      model: job.params.model ?? 'sora-2',
      status,
      progress: status === 'completed' ? 100 : status === 'in_progress' ? 50 : 0,
      created_at: job.createdAt,
      completed_at: status === 'completed' ? job.createdAt + 1 : null,
      expires_at: null,
      error: status === 'failed' ? (script.failure ?? { code: 'internal_error', message: 'generation failed' }) : null,
      prompt: job.params.prompt ?? null,
      remixed_from_video_id: null,
      seconds: job.params.seconds ?? '4',
      size: job.params.size ?? '720x1280',
    };
  };

  const authorised = (req: RecordedRequest): FakeResponse | null =>
    req.headers.authorization === `Bearer ${FAKE_OPENAI_API_KEY}`
      ? null
      : { status: 401, json: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error', code: 'invalid_api_key' } } };

  server.route('POST', /^\/v1\/videos$/, async (req, body) => {
    const denied = authorised(req);
    if (denied) return denied;
    if (script.hang === 'create') return { hang: true };
    const errors = script.createErrors ?? [];
    const call = createCalls++;
    if (call < errors.length || (script.repeatLastCreateError && errors.length > 0)) {
      const scripted = errors[Math.min(call, errors.length - 1)];
      return { status: scripted.status, json: scripted.json ?? { error: { message: `scripted ${scripted.status}` } }, headers: scripted.headers };
    }
    const received = await parseMultipart(req, body);
    creates.push(received);
    const id = `video_fake_${jobs.size + 1}`;
    jobs.set(id, { params: received.fields, polls: 0, createdAt: 1_764_158_400 });
    return { status: 200, json: videoObject(id) };
  });

  server.route('GET', /^\/v1\/videos\/([\w-]+)$/, (req, _body, match) => {
    const denied = authorised(req);
    if (denied) return denied;
    if (script.hang === 'retrieve') return { hang: true };
    const job = jobs.get(match[1]);
    if (!job) return { status: 404, json: { error: { message: `no video ${match[1]}`, code: 'not_found' } } };
    retrieves++;
    job.polls++;
    return { json: videoObject(match[1]) };
  });

  server.route('GET', /^\/v1\/videos\/([\w-]+)\/content$/, (req, _body, match) => {
    const denied = authorised(req);
    if (denied) return denied;
    if (script.hang === 'content') return { hang: true };
    const job = jobs.get(match[1]);
    if (!job || videoObject(match[1]).status !== 'completed' || !script.content) {
      return { status: 404, json: { error: { message: 'video content is not available', code: 'not_found' } } };
    }
    return { buffer: script.content, headers: { 'content-type': 'video/mp4' } };
  });

  return { creates, retrieveCount: () => retrieves };
}

function parseMultipart(req: RecordedRequest, body: Buffer): Promise<ReceivedCreate> {
  return new Promise((resolve, reject) => {
    const received: ReceivedCreate = { fields: {}, files: [] };
    const parser = busboy({ headers: req.headers });
    parser.on('field', (name, value) => {
      received.fields[name] = value;
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () =>
        received.files.push({ field, filename: info.filename ?? '', mimeType: info.mimeType, bytes: Buffer.concat(chunks) }),
      );
    });
    parser.on('close', () => resolve(received));
    parser.on('error', reject);
    parser.end(body);
  });
}
