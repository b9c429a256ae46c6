import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import type { CreatedApiKeyDto, Role } from '@provenant/shared';
import { ApiKeyEntity, UserEntity } from '../../database/entities';
import { updatedRows } from '../../database/updated-rows';
import { AuditLog } from '../audit/audit-log';
import { randomToken, sha256Hex } from './secrets';

export const API_KEY_PREFIX = 'pvk_';
/** API keys serve integrations only: they carry at most these roles of their owner. */
const KEY_ROLES: readonly Role[] = ['creator', 'publisher'];

@Injectable()
export class ApiKeys {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
  ) {}

  async create(userId: string, name: string, actor: string): Promise<CreatedApiKeyDto> {
    return this.dataSource.transaction(async (m) => {
      const owner = await m.findOne(UserEntity, { where: { id: userId } });
      if (!owner) throw new NotFoundException(`user ${userId} does not exist`);
      if (!owner.roles.some((r) => KEY_ROLES.includes(r))) {
        throw new BadRequestException('userId: API keys are for creator or publisher integrations; this user has neither role');
      }
      const key = randomToken(API_KEY_PREFIX);
      const saved = await m.save(m.create(ApiKeyEntity, { userId, name, keyHash: sha256Hex(key) }));
      await this.audit.append(m, { actor, action: 'apikey.created', subjectType: 'api_key', subjectId: saved.id, body: { userId } });
      return { id: saved.id, name, userId, key };
    });
  }

  async revoke(id: string, actor: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const result = await m.update(ApiKeyEntity, { id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
      if (!result.affected) throw new NotFoundException(`no active API key ${id}`);
      await this.audit.append(m, { actor, action: 'apikey.revoked', subjectType: 'api_key', subjectId: id, body: {} });
    });
  }

  /** Resolves a presented key to its owner and the roles it may use, or null. */
  async authenticate(key: string): Promise<{ apiKeyId: string; userId: string; roles: Role[] } | null> {
    const rows = await updatedRows<{ id: string; user_id: string; roles: Role[] }>(
      this.dataSource,
      `UPDATE api_keys k SET last_used_at = now() FROM users u
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND u.id = k.user_id AND u.disabled_at IS NULL
        RETURNING k.id, k.user_id, u.roles`,
      [sha256Hex(key)],
    );
    if (rows.length === 0) return null;
    return { apiKeyId: rows[0].id, userId: rows[0].user_id, roles: rows[0].roles.filter((r) => KEY_ROLES.includes(r)) };
  }
}
