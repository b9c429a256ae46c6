import { ConflictException, Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role, UserDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { UserEntity } from '../../database/entities';
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
