import type { CheckKind, CheckStatus, StageName, StageStatus, CheckVerdict } from './checks';
import type { ClipState } from './clip-state';
import type { AppealEventDto, ClipAppealDto } from './appeal';
import type { ClipReviewDto, ReleaseDto, ReviewEventDto } from './review';
import type { Role } from './roles';

export type ClipSource = 'prompt' | 'upload';

export interface SubmitClipRequest {
  prompt: string;
  /** Optional reference image, base64 (no data: prefix). PNG, JPEG or WebP. */
  referenceImageBase64?: string;
}

/** @example {"id": "7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f", "state": "SUBMITTED"} */
export interface SubmitClipResponse {
  id: string;
  state: ClipState;
}

export interface MediaInfoDto {
  sha256: string;
  bytes: number;
  container: string;
  durationSeconds: number;
  width: number;
  height: number;
  videoCodec: string;
  audioCodec: string | null;
  frameRate: number;
}

export interface StageResultDto {
  stage: StageName;
  status: StageStatus;
  verdict: CheckVerdict | null;
  attempts: number;
  startedAt: string;
  finishedAt: string;
  /** Stage-specific typed result (frames sampled, provider job id, …). */
  result: Record<string, unknown>;
  error: string | null;
}

export interface TransitionDto {
  from: ClipState | null;
  to: ClipState;
  at: string;
  reason: string | null;
}

export interface ClipCheckDto {
  status: CheckStatus;
  /** Plain statement when the check is not part of this build yet, or of what it does not cover in this build. */
  note: string | null;
}

export interface ClipDto {
  id: string;
  state: ClipState;
  source: ClipSource;
  prompt: string | null;
  generator: string | null;
  createdBy: string;
  flagged: boolean;
  failureReason: string | null;
  media: MediaInfoDto | null;
  checks: Record<CheckKind, ClipCheckDto>;
  stages: StageResultDto[];
  transitions: TransitionDto[];
  /** Review rounds and decisions; null before the clip first reaches review. */
  review: ClipReviewDto | null;
  /** The creator's appeal of a prompt block; null when none was filed. */
  appeal: ClipAppealDto | null;
  /** Set once RELEASED: what was released and whether it is signed. */
  release: ReleaseDto | null;
  createdAt: string;
  updatedAt: string;
}

export interface ClipSummaryDto {
  id: string;
  state: ClipState;
  source: ClipSource;
  prompt: string | null;
  createdBy: string;
  flagged: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, null at the end. */
  nextCursor: string | null;
}

/** Pushed over server-sent events when a clip changes state or a stage finishes. */
export interface ClipEventDto {
  clipId: string;
  state: ClipState;
  stage: StageName | null;
  at: string;
  /** Present when the event is a review decision. */
  review?: ReviewEventDto;
  /** Present when the event is an appeal filed or decided. */
  appeal?: AppealEventDto;
}

/**
 * The last event of a clip event stream (`event: session_ended`): the access
 * token expired, or the account changed (disabled, roles, keys). Reconnect
 * with a fresh token; a disabled account's reconnect is refused.
 */
export const SESSION_ENDED_EVENT = 'session_ended';
export interface SessionEndedDto {
  reason: 'token_expired' | 'account_changed';
}

export interface LoginRequest {
  email: string;
  password: string;
  /**
   * 'cookie' (the console): the refresh token is set as an HttpOnly cookie
   * scoped to /api/v1/auth and left out of the answer (a CookieSession), so
   * script in the page never sees it. Otherwise it is in the answer (CLI, integrations).
   */
  refreshTokenIn?: 'body' | 'cookie';
}

/** The answer to a login or refresh in cookie mode: the refresh token is in the HttpOnly cookie. */
export interface CookieSession {
  accessToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

/** @example {"accessToken": "eyJhbGciOiJIUzI1NiJ9…", "refreshToken": "pvr_…", "expiresIn": 900} */
export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds until the access token expires. */
  expiresIn: number;
}

export interface CreateUserRequest {
  email: string;
  password: string;
  roles: Role[];
}

export interface UserDto {
  id: string;
  email: string;
  roles: Role[];
  createdAt: string;
  /** Set while the account is disabled: it cannot sign in, and its tokens, keys and claims were revoked. */
  disabledAt: string | null;
  /** Personal data erased: the account stays disabled for good. */
  erased: boolean;
}

/** PATCH /users/:id: either or both. */
export interface UpdateUserRequest {
  disabled?: boolean;
  roles?: Role[];
}

export interface CreateApiKeyRequest {
  name: string;
  /** Owner of the key; its roles apply (creator or publisher). */
  userId: string;
}

export interface CreatedApiKeyDto {
  id: string;
  name: string;
  userId: string;
  /** Shown once; only a hash is stored. */
  key: string;
}

export interface MeDto {
  id: string;
  email: string;
  roles: Role[];
}

/**
 * Every error answer of the API.
 * @example {"statusCode": 400, "error": "Bad Request", "message": "limit: must be an integer from 1 to 200"}
 */
export interface ApiErrorDto {
  statusCode: number;
  error: string;
  message: string;
}
