import { ConflictException, Inject, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role, UserDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { ApiKeyRepository } from '../auth/api-key.repository';
import { PasswordHasher } from '../auth/password-hasher';
import { RefreshTokenRepository } from '../auth/refresh-token.repository';
import { APP_CONFIG } from '../core/tokens';
import { ClipRepository } from '../lifecycle/clip.repository';
import { WebhookRepository } from '../notifications/webhook.repository';
import { logger } from '../core/logger';
import { ReviewDecisionRepository } from '../review/review-decision.repository';
import { ReviewReopeningRepository } from '../review/review-reopening.repository';
import { UserRepository, type UserRecord } from './user.repository';

export const toUserDto = (u: UserRecord): UserDto => ({ id: u.id, email: u.email, roles: u.roles, createdAt: u.createdAt.toISOString() });

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
      await this.refuseToEndTheLastAdmin(m, id);
      if (!(await this.users.erase(m, id))) throw new NotFoundException(`user ${id} does not exist`);
      const clipsErased = await this.clips.erasePromptsOf(m, id);
      await new ApiKeyRepository().revokeAllOf(m, id);
      await new RefreshTokenRepository().revokeAllOf(m, id);
      // Free text this person wrote as a reviewer, and their webhook endpoints (hashes stay for the log).
      await new ReviewDecisionRepository().eraseNotesOf(m, id);
      await new ReviewReopeningRepository().eraseReasonsOf(m, id);
      await new WebhookRepository().eraseOf(m, id);
      await this.audit.append(m, { actor, action: 'user.personal_data_erased', subjectType: 'user', subjectId: id, body: { clipsErased } });
      return { clipsErased };
    });
  }

  /** Erasure disables the account: an admin may go only while another enabled admin stays. */
  private async refuseToEndTheLastAdmin(m: EntityManager, id: string): Promise<void> {
    const admins = await this.users.lockEnabledAdmins(m);
    if (admins.length === 1 && admins[0] === id) {
      throw new ConflictException('id: cannot erase the last enabled admin; make another user admin first');
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
