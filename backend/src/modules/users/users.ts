import { BadRequestException, ConflictException, Inject, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { roleConflict, type Role, type UserDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { PromptAppealRepository } from '../appeals/prompt-appeal.repository';
import { LikenessSubjectRepository } from '../likeness/likeness-subject.repository';
import { AuditLog } from '../audit/audit-log';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { PasswordHasher } from '../auth/password-hasher';
import { RefreshTokenRepository } from '../auth/refresh-token.repository';
import { APP_CONFIG } from '../core/tokens';
import { ClipRepository } from '../lifecycle/clip.repository';
import { WebhookRepository } from '../notifications/webhook.repository';
import { logger } from '../core/logger';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { ReviewItemRepository } from '../review/review-item.repository';
import { ReviewReopeningRepository } from '../review/review-reopening.repository';
import { isErased, UserRepository, type UserRecord } from './user.repository';

export const toUserDto = (u: UserRecord): UserDto => ({
  id: u.id,
  email: u.email,
  roles: u.roles,
  createdAt: u.createdAt.toISOString(),
  disabledAt: u.disabledAt?.toISOString() ?? null,
  erased: isErased(u),
});

export interface UserChange {
  disabled?: boolean;
  roles?: Role[];
}

@Injectable()
export class Users implements OnApplicationBootstrap {
  private readonly users = new UserRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly clips: ClipRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(email: string, password: string, roles: Role[], actor: string): Promise<UserDto> {
    this.refuseConflictingRoles(roles);
    const passwordHash = await PasswordHasher.hash(password);
    return this.dataSource.transaction(async (m) => {
      const user = await this.users.insert(m, { email, passwordHash, roles });
      if (!user) throw new ConflictException(`email: a user with this e-mail already exists`);
      await this.audit.append(m, { actor, action: 'user.created', subjectType: 'user', subjectId: user.id, body: { roles } });
      return toUserDto(user);
    });
  }

  /**
   * Erases a person's personal data on request: e-mail, password, prompts of
   * their clips, credentials, review notes and webhook endpoints. The audit log only ever held ids and hashes, so
   * it stays complete and verifiable.
   */
  async erasePersonalData(id: string, actor: string): Promise<{ clipsErased: number }> {
    return this.dataSource.transaction(async (m) => {
      await this.refuseToEndTheLastAdmin(m, id, 'erase');
      if (!(await this.users.erase(m, id))) throw new NotFoundException(`user ${id} does not exist`);
      const clipsErased = await this.clips.erasePromptsOf(m, id);
      await this.endSessions(m, id, actor);
      // Free text this person wrote as a reviewer or on an appeal, their enrolled likeness, and their webhook endpoints (hashes stay for the log).
      await new ReviewDecisionRepository().eraseNotesOf(m, id);
      await new ReviewReopeningRepository().eraseReasonsOf(m, id);
      await new PromptAppealRepository().eraseWritingOf(m, id);
      // Their enrolled likeness: names and grants (the registry's own erasure event records it).
      const likeness = await new LikenessSubjectRepository().byUser(m, id);
      if (likeness) {
        const grants = await new LikenessSubjectRepository().grantsOf(m, [likeness.id]);
        await new LikenessSubjectRepository().delete(m, likeness.id);
        await this.audit.append(m, { actor, action: 'likeness.subject_erased', subjectType: 'likeness_subject', subjectId: likeness.id, body: { kind: likeness.kind, grantsErased: grants.length } });
      }
      await new WebhookRepository().eraseOf(m, id);
      await this.audit.append(m, { actor, action: 'user.personal_data_erased', subjectType: 'user', subjectId: id, body: { clipsErased } });
      return { clipsErased };
    });
  }

  /**
   * Disables or enables an account, or replaces its roles. Disabling ends
   * every session at once (refresh tokens, API keys, review claims); a role
   * taken away stops working at the next request (AccountStatus).
   */
  async update(id: string, change: UserChange, actor: string): Promise<UserDto> {
    if (change.roles) this.refuseConflictingRoles(change.roles);
    return this.dataSource.transaction(async (m) => {
      let user = await this.users.findById(m, id);
      if (!user) throw new NotFoundException(`user ${id} does not exist`);
      if (change.disabled === true) await this.refuseToEndTheLastAdmin(m, id, 'disable');
      if (change.roles && !change.roles.includes('admin')) await this.refuseToEndTheLastAdmin(m, id, 'take the admin role from');
      if (change.roles && !sameRoles(change.roles, user.roles)) {
        const previousRoles = user.roles;
        user = (await this.users.setRoles(m, id, change.roles))!;
        await this.audit.append(m, { actor, action: 'user.roles_changed', subjectType: 'user', subjectId: id, body: { roles: user.roles, previousRoles } });
      }
      if (change.disabled === true && !user.disabledAt) {
        user = (await this.users.setDisabled(m, id, true))!;
        const ended = await this.endSessions(m, id, actor);
        await this.audit.append(m, { actor, action: 'user.disabled', subjectType: 'user', subjectId: id, body: ended });
      } else if (change.disabled === false && user.disabledAt) {
        if (isErased(user)) throw new ConflictException(`id: user ${id} was erased and cannot be enabled again; create a new account`);
        user = (await this.users.setDisabled(m, id, false))!;
        await this.audit.append(m, { actor, action: 'user.enabled', subjectType: 'user', subjectId: id, body: {} });
      }
      return toUserDto(user);
    });
  }

  /** Everything that lets the account act: refresh tokens, API keys and live review claims (given back to the queue). */
  private async endSessions(m: EntityManager, id: string, actor: string): Promise<{ refreshTokensRevoked: number; apiKeysRevoked: number; claimsReturned: number }> {
    const refreshTokensRevoked = await new RefreshTokenRepository().revokeAllOf(m, id);
    const apiKeysRevoked = await new ApiKeyRepository().revokeAllOf(m, id);
    const returned = await new ReviewItemRepository().giveBackAllOf(m, id);
    for (const { clipId, round } of returned) {
      await this.audit.append(m, { actor, action: 'review.claim_returned', subjectType: 'clip', subjectId: clipId, body: { round, accountDisabled: true } });
    }
    return { refreshTokensRevoked, apiKeysRevoked, claimsReturned: returned.length };
  }

  private refuseConflictingRoles(roles: Role[]): void {
    const conflict = roleConflict(roles);
    if (conflict && !this.config.ALLOW_CONFLICTING_ROLES) {
      throw new BadRequestException(
        `roles: ${conflict[0]} and ${conflict[1]} may not be held by one person (separation of duties); set ALLOW_CONFLICTING_ROLES=true to allow it`,
      );
    }
  }

  /** Erasure disables the account: an admin may go only while another enabled admin stays. */
  private async refuseToEndTheLastAdmin(m: EntityManager, id: string, verb: string): Promise<void> {
    const admins = await this.users.lockEnabledAdmins(m);
    if (admins.length === 1 && admins[0] === id) {
      throw new ConflictException(`id: cannot ${verb} the last enabled admin; make another user admin first`);
    }
  }

  findByEmail(email: string): Promise<UserRecord | null> {
    return this.users.findByEmail(this.dataSource, email);
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.users.findById(this.dataSource, id);
  }

  async list(): Promise<UserDto[]> {
    return (await this.users.list(this.dataSource)).map(toUserDto);
  }

  /** First start: create the admin from PROVENANT_ADMIN_EMAIL/PASSWORD if there is no admin yet. */
  async onApplicationBootstrap(): Promise<void> {
    if (await this.users.anyAdmin(this.dataSource)) return;
    try {
      await this.create(this.config.PROVENANT_ADMIN_EMAIL, this.config.PROVENANT_ADMIN_PASSWORD, ['admin'], 'system');
      logger.info({ email: this.config.PROVENANT_ADMIN_EMAIL }, 'created the first admin user');
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err; // another api process created it first
    }
  }
}

const sameRoles = (a: Role[], b: Role[]): boolean => a.length === b.length && a.every((r) => b.includes(r));
