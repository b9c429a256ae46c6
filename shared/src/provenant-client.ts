import type { AppealDecisionRequest, AppealResultDto, AppealStatus, PromptAppealDto } from './appeal';
import type { AuditVerificationDto } from './audit';
import type { ClipState } from './clip-state';
import type {
  ClipDto,
  ClipEventDto,
  ClipSummaryDto,
  CreatedApiKeyDto,
  MeDto,
  Page,
  SubmitClipRequest,
  SubmitClipResponse,
  TokenPair,
  UpdateUserRequest,
  UserDto,
} from './dto';
import { SESSION_ENDED_EVENT } from './dto';
import type { CreateLikenessGrantRequest, CreateLikenessSubjectRequest, LikenessAppearanceDto, LikenessEnrolmentDto, LikenessGrantDto, LikenessSubjectDto } from './likeness';
import type { ModerationPolicyDto } from './moderation';
import type { VerifyResponseDto } from './provenance';
import type { Role } from './roles';
import type { ReviewClaimDto, ReviewDecisionKind, ReviewDecisionResultDto, ReviewQueueItemDto } from './review';
import { SseParser } from './sse-parser';

/** An answer other than 2xx: the status and the server's message (which names the field at fault). */
export class ProvenantApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ProvenantApiError';
  }
}

/** The server could not be reached at all. */
export class ProvenantNetworkError extends Error {
  constructor(
    readonly server: string,
    cause: string,
  ) {
    super(`cannot reach ${server}: ${cause}`);
    this.name = 'ProvenantNetworkError';
  }
}

export interface ProvenantClientOptions {
  /** e.g. `https://provenant.example.com`; no trailing slash needed. */
  server: string;
  /** An access token or an API key (`pvk_…`). */
  token?: string;
  /** Or sign in with these on first use. */
  email?: string;
  password?: string;
}

/** `onProgress` reports the request bytes sent so far (streamed upload; Node 18+ or a browser that streams request bodies). */
type Body = { json: unknown } | { form: FormData; onProgress?: (sentBytes: number) => void } | undefined;

/**
 * The typed client of the Provenant API, for integrations and the CLI: every
 * method is one route, its request and answer the shared DTOs the server
 * itself uses. Errors are ProvenantApiError (with the status) or
 * ProvenantNetworkError.
 *
 *   const pv = new ProvenantClient({ server, token: process.env.PROVENANT_TOKEN });
 *   const { id } = await pv.submitClip({ prompt: 'a lighthouse at dusk' });
 *   for await (const e of pv.clipEvents()) if (e.clipId === id) console.log(e.state);
 */
export class ProvenantClient {
  private token: string | undefined;
  private readonly server: string;

  constructor(private readonly options: ProvenantClientOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.token = options.token;
  }

  me = () => this.call<MeDto>('GET', '/api/v1/auth/me');

  submitClip = (request: SubmitClipRequest) => this.call<SubmitClipResponse>('POST', '/api/v1/clips', { json: request });
  uploadClip = (file: Blob, name: string, fields: { prompt?: string; generator?: string } = {}, onProgress?: (sentBytes: number) => void) => {
    const form = new FormData();
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) form.append(key, value);
    form.append('file', file, name);
    return this.call<SubmitClipResponse>('POST', '/api/v1/clips/upload', { form, onProgress });
  };
  listClips = (query: { state?: ClipState; limit?: number; cursor?: string } = {}) => this.call<Page<ClipSummaryDto>>('GET', `/api/v1/clips${queryString(query)}`);
  getClip = (id: string) => this.call<ClipDto>('GET', `/api/v1/clips/${encodeURIComponent(id)}`);
  /** The released file; `X-Content-Sha256` and `X-Provenant-Signed` are on the response. */
  downloadClip = (id: string) => this.raw('GET', `/api/v1/clips/${encodeURIComponent(id)}/download`);

  reviewQueue = (limit?: number) => this.call<ReviewQueueItemDto[]>('GET', `/api/v1/review/queue${queryString({ limit })}`);
  claim = (clipId?: string) => this.call<ReviewClaimDto>('POST', '/api/v1/review/claim', { json: clipId ? { clipId } : {} });
  decide = (clipId: string, decision: { decision: ReviewDecisionKind; reasonCode: string; note?: string }) =>
    this.call<ReviewDecisionResultDto>('POST', `/api/v1/review/${encodeURIComponent(clipId)}/decision`, { json: decision });

  /** The submitter appeals the block of their prompt, once. */
  appealClip = (id: string, reason: string) => this.call<AppealResultDto>('POST', `/api/v1/clips/${encodeURIComponent(id)}/appeal`, { json: { reason } });
  appeals = (query: { status?: AppealStatus; limit?: number } = {}) => this.call<PromptAppealDto[]>('GET', `/api/v1/review/appeals${queryString(query)}`);
  decideAppeal = (clipId: string, decision: AppealDecisionRequest) => this.call<AppealResultDto>('POST', `/api/v1/review/appeals/${encodeURIComponent(clipId)}`, { json: decision });

  /** The likeness registry: protected subjects (admin, compliance), your own consenting enrolment and its grants. */
  createLikenessSubject = (subject: CreateLikenessSubjectRequest) => this.call<LikenessSubjectDto>('POST', '/api/v1/likeness/subjects', { json: subject });
  likenessSubjects = () => this.call<LikenessSubjectDto[]>('GET', '/api/v1/likeness/subjects');
  likenessSubject = (id: string) => this.call<LikenessSubjectDto>('GET', `/api/v1/likeness/subjects/${encodeURIComponent(id)}`);
  eraseLikenessSubject = (id: string) => this.call<void>('DELETE', `/api/v1/likeness/subjects/${encodeURIComponent(id)}`);
  /** Enrols a face template from a JPEG or PNG of exactly one face. */
  enrolLikenessImage = (subjectId: string, file: Blob, name: string) => {
    const form = new FormData();
    form.append('file', file, name);
    return this.call<LikenessEnrolmentDto>('POST', `/api/v1/likeness/subjects/${encodeURIComponent(subjectId)}/images`, { form });
  };
  grantLikeness = (subjectId: string, grant: CreateLikenessGrantRequest) => this.call<LikenessGrantDto>('POST', `/api/v1/likeness/subjects/${encodeURIComponent(subjectId)}/grants`, { json: grant });
  revokeLikenessGrant = (subjectId: string, grantId: string) => this.call<LikenessGrantDto>('DELETE', `/api/v1/likeness/subjects/${encodeURIComponent(subjectId)}/grants/${encodeURIComponent(grantId)}`);
  myLikeness = () => this.call<LikenessSubjectDto>('GET', '/api/v1/likeness/me');
  myAppearances = () => this.call<LikenessAppearanceDto[]>('GET', '/api/v1/likeness/me/appearances');

  createUser = (user: { email: string; password: string; roles: Role[] }) => this.call<UserDto>('POST', '/api/v1/users', { json: user });
  updateUser = (id: string, change: UpdateUserRequest) => this.call<UserDto>('PATCH', `/api/v1/users/${encodeURIComponent(id)}`, { json: change });
  createApiKey = (key: { userId: string; name: string }) => this.call<CreatedApiKeyDto>('POST', '/api/v1/api-keys', { json: key });
  revokeApiKey = (id: string) => this.call<void>('DELETE', `/api/v1/api-keys/${encodeURIComponent(id)}`);

  getPolicy = () => this.call<ModerationPolicyDto>('GET', '/api/v1/moderation/policy');
  setPolicy = (document: unknown) => this.call<ModerationPolicyDto>('PUT', '/api/v1/moderation/policy', { json: document });

  verify = (file: Blob, name: string) => {
    const form = new FormData();
    form.append('file', file, name);
    return this.call<VerifyResponseDto>('POST', '/api/v1/verify', { form });
  };
  verifyAuditLog = () => this.call<AuditVerificationDto>('GET', '/api/v1/audit/verify');

  /** Live clip events until the stream ends (its token expired or the account changed: reconnect) or `signal` aborts. */
  async *clipEvents(signal?: AbortSignal): AsyncGenerator<ClipEventDto> {
    const response = await this.raw('GET', '/api/v1/clips/events', undefined, { accept: 'text/event-stream' }, signal);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        for (const message of parser.push(value)) {
          if (message.event === SESSION_ENDED_EVENT) return;
          yield JSON.parse(message.data) as ClipEventDto;
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  /** One call answered with JSON (or nothing, for 204). */
  async call<T>(method: string, path: string, body?: Body): Promise<T> {
    const response = await this.raw(method, path, body);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  /** One call, the response handed back unread once it is known to be 2xx. */
  async raw(method: string, path: string, body?: Body, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const response = await this.send(method, path, body, { ...headers, ...(await this.credentials()) }, signal);
    if (!response.ok) throw await apiError(response);
    return response;
  }

  private async credentials(): Promise<Record<string, string>> {
    if (!this.token) {
      if (!this.options.email || !this.options.password) throw new ProvenantApiError(401, 'no credentials: give a token or API key, or an e-mail and password');
      const response = await this.send('POST', '/api/v1/auth/login', { json: { email: this.options.email, password: this.options.password } }, {});
      if (!response.ok) throw await apiError(response, 'login failed: ');
      this.token = ((await response.json()) as TokenPair).accessToken;
    }
    return this.token.startsWith('pvk_') ? { 'x-api-key': this.token } : { authorization: `Bearer ${this.token}` };
  }

  private async send(method: string, path: string, body: Body, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const init: RequestInit = { method, headers, signal };
    if (body && 'json' in body) {
      init.headers = { ...headers, 'content-type': 'application/json' };
      init.body = JSON.stringify(body.json);
    } else if (body?.onProgress) {
      // fetch reports no upload progress: encode the form once, then count its bytes as they are read.
      const encoded = new Request('http://form.invalid/', { method: 'POST', body: body.form });
      const report = body.onProgress;
      let sent = 0;
      init.headers = { ...headers, 'content-type': encoded.headers.get('content-type')! };
      init.body = encoded.body!.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            sent += chunk.byteLength;
            report(sent);
            controller.enqueue(chunk);
          },
        }),
      );
      (init as RequestInit & { duplex: 'half' }).duplex = 'half';
    } else if (body) {
      init.body = body.form;
    }
    try {
      return await fetch(`${this.server}${path}`, init);
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new ProvenantNetworkError(this.server, (err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
    }
  }
}

async function apiError(response: Response, prefix = ''): Promise<ProvenantApiError> {
  const body = (await response.json().catch(() => null)) as { message?: unknown } | null;
  const message = typeof body?.message === 'string' ? body.message : Array.isArray(body?.message) ? body.message.join('; ') : response.statusText;
  return new ProvenantApiError(response.status, `${prefix}${message}`);
}

function queryString(query: Record<string, string | number | undefined>): string {
  const entries = Object.entries(query).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}
