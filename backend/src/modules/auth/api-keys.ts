import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CreatedApiKeyDto, Role } from '@provenant/shared';
import { AuditLog } from '../audit/audit-log';
import { randomToken, sha256Hex } from '../core/hashing';
import { UserRepository } from '../users/user.repository';
import { ApiKeyRepository } from './api-key.repository';

export const API_KEY_PREFIX = 'pvk_';
/** API keys serve integrations only: they carry at most these roles of their owner. */
export const API_KEY_ROLES: readonly Role[] = ['creator', 'publisher'];

@Injectable()
export class ApiKeys {
  private readonly keys = new ApiKeyRepository();
  private readonly users = new UserRepository();

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(userId: string, name: string, actor: string): Promise<CreatedApiKeyDto> {
    return this.dataSource.transaction(async (m) => {
      const owner = await this.users.findById(m, userId);
      if (!owner) throw new NotFoundException(`user ${userId} does not exist`);
      if (!owner.roles.some((r) => API_KEY_ROLES.includes(r))) {
        throw new BadRequestException('userId: API keys are for creator or publisher integrations; this user has neither role');
      }
      const key = randomToken(API_KEY_PREFIX);
      const id = await this.keys.insert(m, { userId, name, keyHash: sha256Hex(key) });
      await this.audit.append(m, { actor, action: 'apikey.created', subjectType: 'api_key', subjectId: id, body: { userId } });
      return { id, name, userId, key };
    });
  }

  async revoke(id: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      if (!(await this.keys.revoke(m, id))) throw new NotFoundException(`no active API key ${id}`);
      await this.audit.append(m, { actor, action: 'apikey.revoked', subjectType: 'api_key', subjectId: id, body: {} });
    });
  }

  /** Resolves a presented key to its owner and the roles it may use, or null. */
  async authenticate(key: string): Promise<{ apiKeyId: string; userId: string; roles: Role[] } | null> {
    const found = await this.keys.useByHash(this.dataSource, sha256Hex(key));
    if (!found) return null;
    return { apiKeyId: found.id, userId: found.userId, roles: found.roles.filter((r) => API_KEY_ROLES.includes(r)) };
  }
}
