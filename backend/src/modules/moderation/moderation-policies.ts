import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ModerationPolicy, ModerationPolicyDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { canonicalJson } from '../../engines/merkle-log';
import { parseModerationPolicy, PolicyValidationError } from '../../engines/moderation';
import { AuditLog } from '../audit/audit-log';
import { APP_CONFIG } from '../core/tokens';
import { ModerationPolicyRepository, type PolicyRecord } from './moderation-policy.repository';

/** The policy in force, with the digest that the audit log and stage results name. */
export interface ActivePolicy {
  policy: ModerationPolicy;
  sha256: string;
}

/** Where the moderation stages get the policy to apply, at the moment they run. */
export interface ActivePolicySource {
  current(): Promise<ActivePolicy>;
}

/** SHA-256 of the policy's RFC 8785 canonical JSON: the same document always has the same digest. */
export function policySha256(policy: ModerationPolicy): string {
  return createHash('sha256').update(canonicalJson(policy)).digest('hex');
}

/**
 * Versioned moderation policies in Postgres. Until an admin stores one, the
 * configured policy (MODERATION_POLICY_FILE or the built-in default) is in
 * force; after that, the most recently stored version. Every change is
 * validated by parseModerationPolicy (which keeps the sexual/minors floor)
 * and audited in the same transaction.
 */
@Injectable()
export class ModerationPolicies implements ActivePolicySource {
  private readonly configured: ModerationPolicyDto;

  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly policies: ModerationPolicyRepository,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const policy = config.moderation.policy;
    this.configured = { version: policy.version, sha256: policySha256(policy), source: 'configured', setBy: null, setAt: null, document: policy };
  }

  async current(): Promise<ActivePolicy> {
    const { document, sha256 } = await this.describe();
    return { policy: document, sha256 };
  }

  async describe(): Promise<ModerationPolicyDto> {
    const row = await this.policies.latest(this.dataSource);
    return row ? toDto(row) : this.configured;
  }

  /** Stores a new version and makes it the one in force. 400 for an invalid document, 409 for a version already used. */
  async replace(document: unknown, actor: string): Promise<ModerationPolicyDto> {
    let policy: ModerationPolicy;
    try {
      policy = parseModerationPolicy(document);
    } catch (err) {
      if (err instanceof PolicyValidationError) throw new BadRequestException(err.issues.join('; '));
      throw err;
    }
    const sha256 = policySha256(policy);
    return this.dataSource.transaction(async (m) => {
      await this.policies.lockForChange(m);
      const previous = await this.policies.latest(m);
      if ((await this.policies.versionTaken(m, policy.version)) || policy.version === this.configured.version) {
        throw new ConflictException(`version: ${policy.version} is already used; a changed policy needs a new version`);
      }
      const row = await this.policies.insert(m, { version: policy.version, document: policy, sha256, setBy: actor });
      const replaced = previous ?? this.configured;
      await this.audit.append(m, {
        actor,
        action: 'moderation.policy_changed',
        subjectType: 'moderation_policy',
        subjectId: policy.version,
        body: { version: policy.version, sha256, previousVersion: replaced.version, previousSha256: replaced.sha256 },
      });
      return toDto(row);
    });
  }
}

function toDto(row: PolicyRecord): ModerationPolicyDto {
  return { version: row.version, sha256: row.sha256, source: 'stored', setBy: row.setBy, setAt: row.setAt.toISOString(), document: row.document };
}
