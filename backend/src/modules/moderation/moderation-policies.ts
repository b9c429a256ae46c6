import { BadRequestException, ConflictException, Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { ModerationPolicy, ModerationPolicyDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { canonicalJson } from '../../engines/merkle-log';
import { parseModerationPolicy } from '../../engines/moderation/policy/parse-moderation-policy';
import { PolicyValidationError } from '../../engines/moderation/policy/policy-validation-error';
import { AuditLog } from '../audit/audit-log';
import { APP_CONFIG } from '../core/tokens';

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

interface PolicyRow {
  version: string;
  document: ModerationPolicy;
  sha256: string;
  set_by: string;
  set_at: Date;
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
    const [row]: PolicyRow[] = await this.dataSource.query(
      'SELECT version, document, sha256, set_by, set_at FROM moderation_policies ORDER BY seq DESC LIMIT 1',
    );
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
      // One change at a time, so that each audit event names the version it replaced. An advisory lock,
      // because the application role may only SELECT and INSERT this table, too little for LOCK TABLE.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('moderation_policies'))`);
      const [previous]: PolicyRow[] = await m.query('SELECT version, sha256 FROM moderation_policies ORDER BY seq DESC LIMIT 1');
      const taken: unknown[] = await m.query('SELECT 1 FROM moderation_policies WHERE version = $1', [policy.version]);
      if (taken.length > 0 || policy.version === this.configured.version) {
        throw new ConflictException(`version: ${policy.version} is already used; a changed policy needs a new version`);
      }
      const [row]: PolicyRow[] = await m.query(
        `INSERT INTO moderation_policies (version, document, sha256, set_by) VALUES ($1, $2, $3, $4)
         RETURNING version, document, sha256, set_by, set_at`,
        [policy.version, JSON.stringify(policy), sha256, actor],
      );
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

function toDto(row: PolicyRow): ModerationPolicyDto {
  return { version: row.version, sha256: row.sha256, source: 'stored', setBy: row.set_by, setAt: row.set_at.toISOString(), document: row.document };
}
