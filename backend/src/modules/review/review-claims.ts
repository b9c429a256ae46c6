import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReviewClaimDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { updatedRows } from '../../database/updated-rows';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { APP_CONFIG } from '../core/tokens';

// Arbitrary constant: the advisory-lock namespace for "one claim at a time per reviewer".
const CLAIM_LOCK_NAMESPACE = 7_305_162;

export const isSeniorReviewer = (p: Principal): boolean => p.roles.includes('senior_reviewer');

interface ClaimedRow {
  clip_id: string;
  round: number;
  lease_expires_at: Date;
}

/**
 * Exclusive claims on review items. A claim is a lease: it lapses unless
 * renewed by a heartbeat, and a lapsed item is claimable again. Taking an
 * item is one UPDATE over a `FOR UPDATE SKIP LOCKED` pick, so concurrent
 * reviewers in any number of api processes never hold the same item.
 */
@Injectable()
export class ReviewClaims {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Claims the given clip, or the next one in queue order. */
  async claim(p: Principal, clipId: string | undefined): Promise<ReviewClaimDto> {
    return this.dataSource.transaction(async (m) => {
      // Serialises one reviewer's own claims, so a retried "claim next" cannot take a second clip.
      await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [CLAIM_LOCK_NAMESPACE, p.userId]);
      if (clipId === undefined) {
        const held = await this.heldBy(m, p.userId);
        if (held) return toDto(held);
      }
      const claimed = clipId === undefined ? await this.takeNext(m, p) : await this.takeGiven(m, p, clipId);
      await this.audit.append(m, {
        actor: actorOf(p),
        action: 'review.claimed',
        subjectType: 'clip',
        subjectId: claimed.clip_id,
        body: { round: claimed.round, leaseExpiresAt: claimed.lease_expires_at.toISOString(), how: clipId === undefined ? 'next' : 'given' },
      });
      return toDto(claimed);
    });
  }

  /** Extends a live lease held by this reviewer. A lapsed lease cannot be revived: claim again. */
  async heartbeat(p: Principal, clipId: string): Promise<ReviewClaimDto> {
    const rows = await updatedRows<ClaimedRow>(
      this.dataSource,
      `UPDATE review_items r SET lease_expires_at = now() + $3 * interval '1 second'
         FROM clips c
        WHERE r.clip_id = $1 AND c.id = r.clip_id AND c.state = 'AWAITING_REVIEW' AND r.closed_at IS NULL
          AND r.claimed_by = $2 AND r.lease_expires_at > now()
        RETURNING r.clip_id, r.round, r.lease_expires_at`,
      [clipId, p.userId, this.config.REVIEW_LEASE_SECONDS],
    );
    if (rows.length === 0) {
      await this.assertClipExists(this.dataSource.manager, clipId);
      throw new ConflictException(`clip ${clipId}: you hold no live claim on it (the lease expired, or it was never yours); claim it again`);
    }
    return toDto(rows[0]);
  }

  /** Gives a live claim back to the queue without deciding, so the next reviewer need not wait for the lease to lapse. */
  async giveBack(p: Principal, clipId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const rows = await updatedRows<{ round: number }>(
        m,
        `UPDATE review_items SET claimed_by = NULL, claimed_at = NULL, lease_expires_at = NULL
          WHERE clip_id = $1 AND closed_at IS NULL AND claimed_by = $2 AND lease_expires_at > now() RETURNING round`,
        [clipId, p.userId],
      );
      if (rows.length === 0) {
        await this.assertClipExists(m, clipId);
        throw new ConflictException(`clip ${clipId}: you hold no live claim on it, so there is nothing to give back`);
      }
      await this.audit.append(m, { actor: actorOf(p), action: 'review.claim_returned', subjectType: 'clip', subjectId: clipId, body: { round: rows[0].round } });
    });
  }

  private async heldBy(m: EntityManager, userId: string): Promise<ClaimedRow | null> {
    const rows: ClaimedRow[] = await m.query(
      `SELECT r.clip_id, r.round, r.lease_expires_at FROM review_items r JOIN clips c ON c.id = r.clip_id
        WHERE r.claimed_by = $1 AND r.closed_at IS NULL AND r.lease_expires_at > now() AND c.state = 'AWAITING_REVIEW'
        ORDER BY r.claimed_at LIMIT 1`,
      [userId],
    );
    return rows[0] ?? null;
  }

  private async takeNext(m: EntityManager, p: Principal): Promise<ClaimedRow> {
    // Skipped: clips the reviewer submitted or already approved this round, and, for a
    // reviewer who is not senior, clips whose remaining approval must be a senior's
    // (the SQL form of seniorApprovalNeeded in approval-rule.ts). An open item is a clip
    // in AWAITING_REVIEW (every way out of review closes it), so this reads review_items
    // alone, in the order of its queue index; decisions check the clip itself under lock.
    const rows = await updatedRows<ClaimedRow>(
      m,
      `UPDATE review_items r SET claimed_by = $1, claimed_at = now(), lease_expires_at = now() + $3 * interval '1 second'
         FROM (SELECT q.clip_id FROM review_items q
                WHERE q.closed_at IS NULL
                  AND (q.lease_expires_at IS NULL OR q.lease_expires_at <= now())
                  AND q.submitted_by <> $1
                  AND NOT ($1 = ANY (q.approved_by))
                  AND ($2 OR NOT (q.four_eyes AND q.senior_approvals = 0 AND cardinality(q.approved_by) >= 1))
                ORDER BY q.priority, q.due_at, q.enqueued_at, q.clip_id
                LIMIT 1
                FOR UPDATE OF q SKIP LOCKED) AS pick
        WHERE r.clip_id = pick.clip_id
        RETURNING r.clip_id, r.round, r.lease_expires_at`,
      [p.userId, isSeniorReviewer(p), this.config.REVIEW_LEASE_SECONDS],
    );
    if (rows.length === 0) throw new NotFoundException('no clip in the review queue is waiting for you');
    return rows[0];
  }

  private async takeGiven(m: EntityManager, p: Principal, clipId: string): Promise<ClaimedRow> {
    const clip = await this.assertClipExists(m, clipId);
    const [item]: { closed_at: Date | null; claimed_by: string | null; live: boolean; approved_by: string[]; lease_expires_at: Date | null }[] = await m.query(
      `SELECT closed_at, claimed_by, lease_expires_at > now() AS live, approved_by, lease_expires_at FROM review_items WHERE clip_id = $1 FOR UPDATE`,
      [clipId],
    );
    if (clip.state !== 'AWAITING_REVIEW' || !item || item.closed_at) throw new ConflictException(`clip ${clipId} is not awaiting review (it is ${clip.state})`);
    if (clip.created_by === p.userId) throw new ForbiddenException(`clip ${clipId}: you submitted it, so someone else must review it`);
    if (item.approved_by.includes(p.userId)) throw new ConflictException(`clip ${clipId}: you already approved it in this round; the next decision must be another reviewer's`);
    if (item.live && item.claimed_by !== p.userId) {
      throw new ConflictException(`clip ${clipId} is claimed by another reviewer until ${item.lease_expires_at!.toISOString()}`);
    }
    const rows = await updatedRows<ClaimedRow>(
      m,
      `UPDATE review_items SET claimed_by = $2, claimed_at = now(), lease_expires_at = now() + $3 * interval '1 second'
        WHERE clip_id = $1 RETURNING clip_id, round, lease_expires_at`,
      [clipId, p.userId, this.config.REVIEW_LEASE_SECONDS],
    );
    return rows[0];
  }

  private async assertClipExists(m: EntityManager, clipId: string): Promise<{ state: string; created_by: string }> {
    const [clip]: { state: string; created_by: string }[] = await m.query('SELECT state, created_by FROM clips WHERE id = $1', [clipId]);
    if (!clip) throw new NotFoundException(`clip ${clipId} not found`);
    return clip;
  }
}

const toDto = (row: ClaimedRow): ReviewClaimDto => ({ clipId: row.clip_id, leaseExpiresAt: new Date(row.lease_expires_at).toISOString() });
