import { ConflictException, Inject, Injectable, NotFoundException, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role, UserDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { UserEntity } from '../../database/entities';
import { updatedRows } from '../../database/updated-rows';
import { AuditLog } from '../audit/audit-log';
import { PasswordHasher } from '../auth/password-hasher';
import { APP_CONFIG } from '../core/tokens';
import { logger } from '../ops/logger';

export const toUserDto = (u: UserEntity): UserDto => ({ id: u.id, email: u.email, roles: u.roles, createdAt: u.createdAt.toISOString() });

@Injectable()
export class Users implements OnApplicationBootstrap {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(email: string, password: string, roles: Role[], actor: string): Promise<UserDto> {
    const passwordHash = await PasswordHasher.hash(password);
    return this.dataSource.transaction(async (m) => {
      const rows: UserEntity[] = await m.query(
        `INSERT INTO users (email, password_hash, roles) VALUES ($1, $2, $3)
         ON CONFLICT (lower(email)) DO NOTHING RETURNING id, email, roles, created_at AS "createdAt"`,
        [email, passwordHash, roles],
      );
      if (rows.length === 0) throw new ConflictException(`email: a user with this e-mail already exists`);
      const user = rows[0];
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
      const users = await updatedRows<{ id: string }>(
        m,
        `UPDATE users SET email = 'erased-' || id || '@erased.invalid', password_hash = '!erased', disabled_at = coalesce(disabled_at, now()) WHERE id = $1 RETURNING id`,
        [id],
      );
      if (!users.length) throw new NotFoundException(`user ${id} does not exist`);
      const clips = await updatedRows<{ id: string }>(m, `UPDATE clips SET prompt = NULL, updated_at = now() WHERE created_by = $1 AND prompt IS NOT NULL RETURNING id`, [id]);
      await m.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1', [id]);
      await m.query('UPDATE refresh_tokens SET revoked_at = coalesce(revoked_at, now()) WHERE user_id = $1', [id]);
      // Free text this person wrote as a reviewer, and their webhook endpoints (hashes stay for the log).
      await m.query('UPDATE review_decisions SET note = NULL WHERE reviewer_id = $1', [id]);
      await m.query('UPDATE review_reopenings SET reason = NULL WHERE actor_id = $1', [id]);
      await m.query(`UPDATE webhooks SET url = 'https://erased.invalid/', secret = '', disabled_at = coalesce(disabled_at, now()) WHERE user_id = $1`, [id]);
      await this.audit.append(m, { actor, action: 'user.personal_data_erased', subjectType: 'user', subjectId: id, body: { clipsErased: clips.length } });
      return { clipsErased: clips.length };
    });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).createQueryBuilder('u').where('lower(u.email) = lower(:email)', { email }).getOne();
  }

  findById(id: string): Promise<UserEntity | null> {
    return this.dataSource.getRepository(UserEntity).findOne({ where: { id } });
  }

  async list(): Promise<UserDto[]> {
    const users = await this.dataSource.getRepository(UserEntity).find({ order: { createdAt: 'ASC' } });
    return users.map(toUserDto);
  }

  /** First start: create the admin from PROVENANT_ADMIN_EMAIL/PASSWORD if there is no admin yet. */
  async onApplicationBootstrap(): Promise<void> {
    const admins: unknown[] = await this.dataSource.query(`SELECT 1 FROM users WHERE 'admin' = ANY(roles) LIMIT 1`);
    if (admins.length) return;
    try {
      await this.create(this.config.PROVENANT_ADMIN_EMAIL, this.config.PROVENANT_ADMIN_PASSWORD, ['admin'], 'system');
      logger.info({ email: this.config.PROVENANT_ADMIN_EMAIL }, 'created the first admin user');
    } catch (err) {
      if (!(err instanceof ConflictException)) throw err; // another api process created it first
    }
  }
}
