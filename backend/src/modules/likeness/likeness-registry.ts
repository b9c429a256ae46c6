import { BadRequestException, ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DataSource } from 'typeorm';
import type { CreateLikenessGrantRequest, CreateLikenessSubjectRequest, LikenessAppearanceDto, LikenessEnrolmentDto, LikenessGrantDto, LikenessSubjectDto, Role } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { phraseTokens } from '../../engines/gazetteer';
import { DEFAULT_DETECTION_OPTIONS, encodeTemplate, LIKENESS_MODEL_VERSION } from '../../engines/likeness';
import type { ContentStore } from '../../engines/storage/content-store';
import type { SecretBox } from '../core/secret-box';
import { APP_CONFIG, CONTENT_STORE } from '../core/tokens';
import { receiveMultipartUpload } from '../http/multipart-upload';
import { decodeFaceImage, fitForAnalysis } from './face-image';
import { FaceAnalysis } from './face-analysis';
import { LIKENESS_TEMPLATE_BOX } from './likeness-tokens';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { sha256Hex } from '../core/hashing';
import { StageResultRepository } from '../pipeline/stage-result.repository';
import { UserRepository } from '../users/user.repository';
import { grantActive } from './likeness-outcome';
import { LikenessSubjectRepository, type LikenessGrantRecord, type LikenessSubjectRecord } from './likeness-subject.repository';

/** Who keeps the protected part of the registry, and may erase any subject. */
const KEEPERS: readonly Role[] = ['admin', 'compliance'];
/** Who reads the whole registry: the keepers and the reviewers who judge its matches. */
const READERS: readonly Role[] = [...KEEPERS, 'reviewer', 'senior_reviewer'];
const isKeeper = (p: Principal) => p.roles.some((r) => KEEPERS.includes(r));
const isReader = (p: Principal) => p.roles.some((r) => READERS.includes(r));
/** An enrolment face must be this wide at least: smaller faces give unreliable templates. */
const MIN_ENROLMENT_FACE_PX = 80;

/**
 * The likeness registry: protected subjects entered by admin or compliance,
 * and people who enrol their own likeness and decide who may use it. Every
 * change and its audit event are written in one transaction; the log holds
 * ids and a hash of the names, never the names.
 */
@Injectable()
export class LikenessRegistry {
  private readonly users = new UserRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly subjects: LikenessSubjectRepository,
    private readonly stageResults: StageResultRepository,
    private readonly faces: FaceAnalysis,
    @Inject(LIKENESS_TEMPLATE_BOX) private readonly box: SecretBox,
    @Inject(CONTENT_STORE) private readonly store: ContentStore,
    @Inject(APP_CONFIG) private readonly cfg: AppConfig,
  ) {}

  async register(p: Principal, body: Required<Pick<CreateLikenessSubjectRequest, 'kind' | 'displayName'>> & { aliases: string[]; distinctive: boolean }): Promise<LikenessSubjectDto> {
    if (body.kind === 'protected' && !isKeeper(p)) throw new ForbiddenException('kind: only admin or compliance enter protected subjects; enrol yourself with kind "consenting"');
    const aliases = [...new Set(body.aliases.filter((a) => a !== body.displayName))];
    checkMatchable('displayName', body.displayName, body.distinctive);
    aliases.forEach((alias, i) => checkMatchable(`aliases[${i}]`, alias, body.distinctive));
    const subject = { id: randomUUID(), kind: body.kind, displayName: body.displayName, aliases, distinctive: body.distinctive, userId: body.kind === 'consenting' ? p.userId : null };
    return this.dataSource.transaction(async (m) => {
      if (subject.userId && (await this.subjects.byUser(m, subject.userId))) throw new ConflictException('you have already enrolled your likeness; erase that enrolment first to enrol again');
      await this.subjects.insert(m, subject);
      await this.audit.append(m, {
        actor: actorOf(p),
        action: 'likeness.subject_registered',
        subjectType: 'likeness_subject',
        subjectId: subject.id,
        body: { kind: subject.kind, userId: subject.userId, namesSha256: sha256Hex(JSON.stringify([subject.displayName, ...aliases])) },
      });
      return toDto((await this.subjects.byId(m, subject.id))!, [], 0);
    });
  }

  async list(): Promise<LikenessSubjectDto[]> {
    return this.withDetails(await this.subjects.list(this.dataSource));
  }

  async get(p: Principal, id: string): Promise<LikenessSubjectDto> {
    return (await this.withDetails([await this.visible(p, id)]))[0];
  }

  async mine(p: Principal): Promise<LikenessSubjectDto> {
    const subject = await this.subjects.byUser(this.dataSource, p.userId);
    if (!subject) throw new NotFoundException('you have not enrolled your likeness');
    return (await this.withDetails([subject]))[0];
  }

  /**
   * Enrols a face template from one JPEG or PNG holding exactly one face at
   * least MIN_ENROLMENT_FACE_PX wide: the person themselves for a consenting
   * subject, admin or compliance for a protected one. The image is not kept;
   * its template is sealed at rest.
   */
  async enrol(p: Principal, subjectId: string, req: Request): Promise<LikenessEnrolmentDto> {
    const subject = await this.visible(p, subjectId);
    const allowed = subject.kind === 'protected' ? isKeeper(p) : subject.userId === p.userId;
    if (!allowed) throw new ForbiddenException(`likeness subject ${subjectId}: only ${subject.kind === 'protected' ? 'admin or compliance' : 'the person enrolled'} may add face images`);
    const { staged } = await receiveMultipartUpload(req, this.store, { maxBytes: this.cfg.LIKENESS_MAX_IMAGE_BYTES });
    if (!staged) throw new BadRequestException('file: is required: a JPEG or PNG of one face');
    let bytes: Buffer;
    try {
      bytes = await readFile(staged.tempPath);
    } finally {
      await this.store.discard(staged.tempPath);
    }
    const faces = await this.faces.analyse(fitForAnalysis(decodeFaceImage(bytes, 'file'), DEFAULT_DETECTION_OPTIONS.maxPixels), { minFaceSizePx: MIN_ENROLMENT_FACE_PX });
    if (faces.length === 0) throw new BadRequestException(`file: no face found (a face must be at least ${MIN_ENROLMENT_FACE_PX} pixels wide and turned towards the camera)`);
    if (faces.length > 1) throw new BadRequestException(`file: ${faces.length} faces found; enrol a picture of one face`);
    const [face] = faces;
    if (!face.embedding) throw new BadRequestException('file: the face could not be measured (too blurred or turned away)');
    const templateId = randomUUID();
    const sealed = this.box.seal(encodeTemplate({ modelVersion: face.modelVersion, embedding: face.embedding }), templateId);
    return this.dataSource.transaction(async (m) => {
      if (!(await this.subjects.byId(m, subject.id))) throw new NotFoundException(`likeness subject ${subjectId} not found`);
      const added = await this.subjects.insertTemplate(m, { id: templateId, subjectId: subject.id, modelVersion: face.modelVersion, sealedEmbedding: sealed, imageSha256: staged.sha256 });
      if (!added) throw new ConflictException('file: this image is already enrolled for this subject');
      await this.audit.append(m, {
        actor: actorOf(p),
        action: 'likeness.template_enrolled',
        subjectType: 'likeness_subject',
        subjectId: subject.id,
        body: { templateId, imageSha256: staged.sha256, modelVersion: face.modelVersion },
      });
      const templates = (await this.subjects.templateCounts(m, [subject.id])).get(subject.id) ?? 0;
      return { subjectId: subject.id, faces: 1, templates, modelVersion: LIKENESS_MODEL_VERSION };
    });
  }

  /** Deletes a subject with its names and grants: its own person, or admin and compliance for any. */
  async erase(p: Principal, id: string): Promise<void> {
    const subject = await this.visible(p, id);
    if (!isKeeper(p) && subject.userId !== p.userId) throw new ForbiddenException(`likeness subject ${id}: only the person enrolled, admin or compliance may erase it`);
    await this.dataSource.transaction(async (m) => {
      const grants = await this.subjects.grantsOf(m, [id]);
      if (!(await this.subjects.delete(m, id))) throw new NotFoundException(`likeness subject ${id} not found`);
      await this.audit.append(m, { actor: actorOf(p), action: 'likeness.subject_erased', subjectType: 'likeness_subject', subjectId: id, body: { kind: subject.kind, grantsErased: grants.length } });
    });
  }

  /** A consenting subject allows one creator, or everyone, to use their likeness, optionally until a time. */
  async grant(p: Principal, subjectId: string, body: CreateLikenessGrantRequest): Promise<LikenessGrantDto> {
    const subject = await this.ownSubject(p, subjectId, 'give grants');
    const everyone = body.everyone === true;
    if (everyone === (body.creatorId !== undefined)) throw new BadRequestException('creatorId: give exactly one of creatorId or "everyone": true');
    const until = body.until === undefined ? null : new Date(body.until);
    if (until && until.getTime() <= Date.now()) throw new BadRequestException('until: must be in the future');
    if (body.creatorId !== undefined) {
      if (body.creatorId === p.userId) throw new BadRequestException('creatorId: you may always use your own likeness; grant it to someone else');
      const creator = await this.users.findById(this.dataSource, body.creatorId);
      if (!creator || creator.disabledAt || !creator.roles.includes('creator')) throw new BadRequestException(`creatorId: ${body.creatorId} is not an enabled creator`);
    }
    return this.dataSource.transaction(async (m) => {
      const grant = await this.subjects.insertGrant(m, { id: randomUUID(), subjectId: subject.id, creatorId: body.creatorId ?? null, everyone, until });
      await this.audit.append(m, {
        actor: actorOf(p),
        action: 'likeness.grant_given',
        subjectType: 'likeness_subject',
        subjectId: subject.id,
        body: { grantId: grant.id, creatorId: grant.creatorId, everyone, until: until?.toISOString() ?? null },
      });
      return grantDto(grant);
    });
  }

  /**
   * Revokes a grant: from now on the check stops this creator's prompts that
   * name the subject. Clips already past the check are not re-checked yet.
   */
  async revoke(p: Principal, subjectId: string, grantId: string): Promise<LikenessGrantDto> {
    const subject = await this.ownSubject(p, subjectId, 'revoke grants');
    return this.dataSource.transaction(async (m) => {
      const revoked = await this.subjects.revokeGrant(m, subject.id, grantId);
      if (!revoked) {
        const existing = await this.subjects.grantById(m, subject.id, grantId);
        if (!existing) throw new NotFoundException(`grant ${grantId} of likeness subject ${subjectId} not found`);
        throw new ConflictException(`grant ${grantId} was already revoked at ${existing.revokedAt!.toISOString()}`);
      }
      await this.audit.append(m, { actor: actorOf(p), action: 'likeness.grant_revoked', subjectType: 'likeness_subject', subjectId: subject.id, body: { grantId } });
      return grantDto(revoked);
    });
  }

  /** The caller's "cameo feed": every clip in which their enrolled likeness was found, newest first. */
  async myAppearances(p: Principal): Promise<LikenessAppearanceDto[]> {
    const subject = await this.subjects.byUser(this.dataSource, p.userId);
    if (!subject) throw new NotFoundException('you have not enrolled your likeness');
    const rows = await this.stageResults.likenessAppearances(this.dataSource, subject.id);
    return rows.flatMap((r) =>
      r.matches
        .filter((n) => n.subjectId === subject.id)
        .slice(0, 1)
        .map((n) => ({ clipId: r.clipId, state: r.state, stage: r.stage, found: n.via ? ('name' as const) : ('face' as const), outcome: n.outcome, consent: n.consent, at: r.finishedAt.toISOString() })),
    );
  }

  private async withDetails(subjects: readonly LikenessSubjectRecord[]): Promise<LikenessSubjectDto[]> {
    const ids = subjects.map((s) => s.id);
    const grants = await this.subjects.grantsOf(this.dataSource, ids);
    const templates = await this.subjects.templateCounts(this.dataSource, ids);
    return subjects.map((s) => toDto(s, grants.filter((g) => g.subjectId === s.id), templates.get(s.id) ?? 0));
  }

  /** The subject if the caller may see it (readers, or its own person); 404 otherwise, so ids of others are not confirmed. */
  private async visible(p: Principal, id: string): Promise<LikenessSubjectRecord> {
    const subject = await this.subjects.byId(this.dataSource, id);
    if (!subject || (!isReader(p) && subject.userId !== p.userId)) throw new NotFoundException(`likeness subject ${id} not found`);
    return subject;
  }

  private async ownSubject(p: Principal, id: string, what: string): Promise<LikenessSubjectRecord> {
    const subject = await this.visible(p, id);
    if (subject.userId !== p.userId) throw new ForbiddenException(`likeness subject ${id}: only the person enrolled may ${what}`);
    return subject;
  }
}

/** A name the gazetteer can never match would leave a subject unprotected without saying so: refuse it. */
function checkMatchable(field: string, name: string, distinctive: boolean): void {
  const words = phraseTokens(name);
  if (words.length === 0) throw new BadRequestException(`${field}: has no letters or digits to match`);
  if (words.length === 1 && !distinctive) throw new BadRequestException(`${field}: a one-word name is matched on its own only with "distinctive": true (else "${name}" would flag everyone who shares it)`);
}

function grantDto(g: LikenessGrantRecord): LikenessGrantDto {
  return {
    id: g.id,
    subjectId: g.subjectId,
    creatorId: g.creatorId,
    everyone: g.everyone,
    until: g.until?.toISOString() ?? null,
    createdAt: g.createdAt.toISOString(),
    revokedAt: g.revokedAt?.toISOString() ?? null,
    active: grantActive(g, new Date()),
  };
}

function toDto(s: LikenessSubjectRecord, grants: readonly LikenessGrantRecord[], faceTemplates: number): LikenessSubjectDto {
  return {
    id: s.id,
    kind: s.kind,
    displayName: s.displayName,
    aliases: s.aliases,
    distinctive: s.distinctive,
    userId: s.userId,
    faceTemplates,
    grants: grants.map(grantDto),
    createdAt: s.createdAt.toISOString(),
  };
}
