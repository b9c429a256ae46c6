import type { CheckVerdict } from './checks';
import type { ClipState } from './clip-state';

/**
 * The likeness registry: people whose likeness Provenant protects.
 * `consenting`: a person who enrolled their own likeness (linked to their
 * account) and decides who may use it. `protected`: a public figure or a
 * person who asked not to be depicted, entered by admin or compliance; never
 * generated.
 */
export const LIKENESS_SUBJECT_KINDS = ['consenting', 'protected'] as const;
export type LikenessSubjectKind = (typeof LIKENESS_SUBJECT_KINDS)[number];

/** Bounds of a subject's names: a display name and up to `maxAliases` aliases. */
export const LIKENESS_NAME_LIMITS = { minLength: 2, maxLength: 120, maxAliases: 20 } as const;

/** `POST /api/v1/likeness/subjects`. A consenting subject is always the caller; a protected one is entered by admin or compliance. */
export interface CreateLikenessSubjectRequest {
  kind: LikenessSubjectKind;
  displayName: string;
  /** Other names the person is known by. A one-word name matches on its own only when `distinctive`. */
  aliases?: string[];
  /** A one-word display name or alias is matched alone only when marked distinctive (so "Taylor" does not match every tailor). */
  distinctive?: boolean;
}

/**
 * A subject of the registry.
 * @example {"id": "5b8f0c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e", "kind": "protected", "displayName": "Ada Quinlan", "aliases": ["A. Quinlan"], "distinctive": false, "userId": null, "faceTemplates": 0, "grants": [], "createdAt": "2026-12-04T10:00:00.000Z"}
 */
export interface LikenessSubjectDto {
  id: string;
  kind: LikenessSubjectKind;
  displayName: string;
  aliases: string[];
  distinctive: boolean;
  /** The enrolled person's account (consenting subjects); null for protected subjects. */
  userId: string | null;
  /** Face templates enrolled (`POST /api/v1/likeness/subjects/{id}/images`). */
  faceTemplates: number;
  /** Consenting subjects: their grants, active and revoked, newest first. Empty for protected subjects. */
  grants: LikenessGrantDto[];
  createdAt: string;
}

/** `POST /api/v1/likeness/subjects/{id}/grants`: exactly one of `creatorId` or `everyone: true`; `until` optional. */
export interface CreateLikenessGrantRequest {
  creatorId?: string;
  everyone?: boolean;
  /** ISO 8601 time after which the grant no longer applies. */
  until?: string;
}

/**
 * Permission a consenting subject gave to use their likeness.
 * @example {"id": "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f", "subjectId": "5b8f0c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e", "creatorId": "7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f", "everyone": false, "until": null, "createdAt": "2026-12-04T10:00:00.000Z", "revokedAt": null, "active": true}
 */
export interface LikenessGrantDto {
  id: string;
  subjectId: string;
  /** The creator allowed; null when `everyone`. */
  creatorId: string | null;
  everyone: boolean;
  until: string | null;
  createdAt: string;
  revokedAt: string | null;
  /** Not revoked and not past `until`. */
  active: boolean;
}

/**
 * A clip in which a subject's name (or, once built, face) was found: the
 * subject's own "cameo feed".
 * @example {"clipId": "7d2b9c4e-1f3a-4e5b-8c6d-0a9b8c7d6e5f", "state": "AWAITING_REVIEW", "stage": "prompt_likeness", "found": "name", "outcome": "allow", "consent": "granted", "at": "2026-12-04T10:00:00.000Z"}
 */
export interface LikenessAppearanceDto {
  clipId: string;
  state: ClipState;
  stage: LikenessStageName;
  found: 'name' | 'face';
  outcome: CheckVerdict;
  consent: LikenessConsent;
  at: string;
}

export type LikenessStageName = 'prompt_likeness' | 'clip_likeness';
export const LIKENESS_STAGE_NAMES = ['prompt_likeness', 'clip_likeness'] as const satisfies readonly LikenessStageName[];

/**
 * Why a match had the outcome it had: `granted` (a consenting subject's active
 * grant covers this creator: allowed, the use recorded), `no_grant` (a
 * consenting subject who has not allowed this creator), `protected` (never
 * generated), `own_likeness` (the subject is the creator), `unregistered`
 * (a name the registry does not hold, found by name recognition only).
 */
export type LikenessConsent = 'granted' | 'no_grant' | 'protected' | 'own_likeness' | 'unregistered';

/**
 * The likeness policy: what each kind of match leads to. Fixed in this build
 * (not yet settable through the API); its version is recorded in every result.
 */
export interface LikenessPolicy {
  version: string;
  outcomes: Record<LikenessConsent, CheckVerdict>;
}

export const DEFAULT_LIKENESS_POLICY: LikenessPolicy = {
  version: 'likeness-default.1',
  outcomes: { granted: 'allow', own_likeness: 'allow', no_grant: 'block', protected: 'block', unregistered: 'review' },
};

/** One name found in a prompt. Subject ids and names are shown to staff only; a creator sees `subjectId: null` and no `displayName`. */
export interface LikenessNameMatch {
  /** The registry subject; null for an unregistered name (name recognition only) and when redacted for the creator. */
  subjectId: string | null;
  displayName?: string;
  consent: LikenessConsent;
  outcome: CheckVerdict;
  /** The characters of the prompt that matched; `text` is read from the clip's prompt when the clip is read (absent once the prompt is erased). */
  matched: { start: number; end: number; text?: string };
  /** How it was found: the registry's names (`registry`) or name recognition (`ner`, compromise). */
  via: 'registry' | 'ner';
  /** The grant that allowed it, when `granted`. */
  grantId?: string;
}

/** The result of `prompt_likeness`. */
export interface LikenessStageResult extends Record<string, unknown> {
  policyVersion: string;
  /** The registry snapshot the prompt was matched against. */
  registryVersion: number;
  names: LikenessNameMatch[];
  /**
   * The reference image's faces: `none` (no reference image), `no_templates` (no face is enrolled, so
   * nothing was analysed), `checked` (see `referenceFaces`), `not_checked` (a WebP, which the face
   * check does not decode).
   */
  referenceImage: 'none' | 'no_templates' | 'checked' | 'not_checked';
  /** Faces of the reference image that matched a subject (`referenceImage: "checked"`). */
  referenceFaces?: LikenessFaceMatch[];
}

/**
 * `POST /api/v1/likeness/subjects/{id}/images` (multipart `file`, a JPEG or PNG of exactly one face).
 * @example {"subjectId": "5b8f0c1e-2d3a-4b5c-9d6e-7f8a9b0c1d2e", "faces": 1, "templates": 2, "modelVersion": "human-3.3.6/faceres"}
 */
export interface LikenessEnrolmentDto {
  subjectId: string;
  /** Faces found in the image: always 1 when enrolled (any other count is a 400). */
  faces: number;
  /** The subject's templates now. */
  templates: number;
  modelVersion: string;
}

/** How sure the face match is: `same` under the match threshold, `review` between it and the different-person threshold. */
export type FaceMatchBand = 'same' | 'review';

/** One face of the clip that matched a registry subject (an unknown face is only counted). */
export interface LikenessFaceMatch {
  /** The registry subject; null when redacted for the creator. */
  subjectId: string | null;
  displayName?: string;
  consent: LikenessConsent;
  outcome: CheckVerdict;
  band: FaceMatchBand;
  /** Cosine distance of the track's best embedding to the subject's nearest template. */
  distance: number;
  matchThreshold: number;
  differentThreshold: number;
  modelVersion: string;
  /** Seconds into the clip of every sampled frame the face was seen in. */
  times: number[];
  /** The frame the match was made on, and the face's box in it (pixels of the sampled frame, `frameWidth` × `frameHeight`). */
  atSeconds: number;
  box: { x: number; y: number; width: number; height: number };
  frameWidth: number;
  frameHeight: number;
  /** The grant that allowed it, when `granted`. */
  grantId?: string;
}

/** The result of `clip_likeness`. */
export interface ClipLikenessStageResult extends Record<string, unknown> {
  policyVersion: string;
  registryVersion: number;
  modelVersion: string;
  /** `no_templates`: the registry holds no face templates, so no frame was analysed. */
  analysed: 'frames' | 'no_templates';
  framesAnalysed: number;
  faces: LikenessFaceMatch[];
  /** Distinct faces seen that match no subject. */
  unknownFaces: number;
}
