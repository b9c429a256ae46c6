import { ConflictException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ReviewClaimDto } from '@provenant/shared';
import type { AppConfig } from '../../config/app-config';
import { AuditLog } from '../audit/audit-log';
import { actorOf, type Principal } from '../auth/principal';
import { APP_CONFIG } from '../core/tokens';
import { ClipRepository, type ClipRecord } from '../lifecycle/clip.repository';
import { ReviewItemRepository, type ClaimRecord } from './review-item.repository';

export const isSeniorReviewer = (p: Principal): boolean => p.roles.includes('senior_reviewer');

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
    private readonly clips: ClipRepository,
    private readonly items: ReviewItemRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Claims the given clip, or the next one in queue order. "Next" never takes a
   * second clip while one is held (it answers the held one); claims by id stop
   * at REVIEW_MAX_OPEN_CLAIMS, so nobody can hoard the queue with heartbeats.
   */
  async claim(p: Principal, clipId: string | undefined): Promise<ReviewClaimDto> {
    return this.dataSource.transaction(async (m) => {
      await this.items.serializeClaimsOf(m, p.userId);
      if (clipId === undefined) {
        const held = await this.items.heldBy(m, p.userId);
        if (held) return toDto(held);
      }
      const claimed = clipId === undefined ? await this.takeNext(m, p) : await this.takeGiven(m, p, clipId);
      await this.audit.append(m, {
        actor: actorOf(p),
        action: 'review.claimed',
        subjectType: 'clip',
        subjectId: claimed.clipId,
        body: { round: claimed.round, leaseExpiresAt: claimed.leaseExpiresAt.toISOString(), how: clipId === undefined ? 'next' : 'given' },
      });
      return toDto(claimed);
    });
  }

  /** Extends a live lease held by this reviewer. A lapsed lease cannot be revived: claim again. */
  async heartbeat(p: Principal, clipId: string): Promise<ReviewClaimDto> {
    const renewed = await this.items.heartbeat(this.dataSource, clipId, p.userId, this.config.REVIEW_LEASE_SECONDS);
    if (!renewed) {
      await this.assertClipExists(this.dataSource.manager, clipId);
      throw new ConflictException(`clip ${clipId}: you hold no live claim on it (the lease expired, or it was never yours); claim it again`);
    }
    return toDto(renewed);
  }

  /** Gives a live claim back to the queue without deciding, so the next reviewer need not wait for the lease to lapse. */
  async giveBack(p: Principal, clipId: string): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      const round = await this.items.giveBack(m, clipId, p.userId);
      if (round === null) {
        await this.assertClipExists(m, clipId);
        throw new ConflictException(`clip ${clipId}: you hold no live claim on it, so there is nothing to give back`);
      }
      await this.audit.append(m, { actor: actorOf(p), action: 'review.claim_returned', subjectType: 'clip', subjectId: clipId, body: { round } });
    });
  }

  private async takeNext(m: EntityManager, p: Principal): Promise<ClaimRecord> {
    const claimed = await this.items.takeNext(m, p.userId, isSeniorReviewer(p), this.config.REVIEW_LEASE_SECONDS);
    if (!claimed) throw new NotFoundException('no clip in the review queue is waiting for you');
    return claimed;
  }

  private async takeGiven(m: EntityManager, p: Principal, clipId: string): Promise<ClaimRecord> {
    const clip = await this.assertClipExists(m, clipId);
    const item = await this.items.lock(m, clipId);
    if (clip.state !== 'AWAITING_REVIEW' || !item || item.closedAt) throw new ConflictException(`clip ${clipId} is not awaiting review (it is ${clip.state})`);
    if (clip.createdBy === p.userId) throw new ForbiddenException(`clip ${clipId}: you submitted it, so someone else must review it`);
    if (item.reopenedBy === p.userId) throw new ForbiddenException(`clip ${clipId}: you brought it back to review, so two other people must review this round`);
    if (item.approvedBy.includes(p.userId)) throw new ConflictException(`clip ${clipId}: you already approved it in this round; the next decision must be another reviewer's`);
    if (item.live && item.claimedBy !== p.userId) {
      throw new ConflictException(`clip ${clipId} is claimed by another reviewer until ${item.leaseExpiresAt!.toISOString()}`);
    }
    // The same eligibility as claim-next: by id is not a way around it.
    if (item.seniorApprovalNeeded && !isSeniorReviewer(p)) {
      throw new ForbiddenException(`clip ${clipId}: its remaining approval must be a senior reviewer's`);
    }
    const alreadyMine = item.live && item.claimedBy === p.userId;
    // Serialised per reviewer (serializeClaimsOf), so concurrent claims cannot both pass the count.
    if (!alreadyMine && (await this.items.liveClaimsOf(m, p.userId)) >= this.config.REVIEW_MAX_OPEN_CLAIMS) {
      throw new ConflictException(
        `you already hold ${this.config.REVIEW_MAX_OPEN_CLAIMS} open claims (REVIEW_MAX_OPEN_CLAIMS); decide on one or give it back before claiming another`,
      );
    }
    return this.items.claim(m, clipId, p.userId, this.config.REVIEW_LEASE_SECONDS);
  }

  private async assertClipExists(m: EntityManager, clipId: string): Promise<ClipRecord> {
    const clip = await this.clips.findById(m, clipId);
    if (!clip) throw new NotFoundException(`clip ${clipId} not found`);
    return clip;
  }
}

const toDto = (c: ClaimRecord): ReviewClaimDto => ({ clipId: c.clipId, leaseExpiresAt: new Date(c.leaseExpiresAt).toISOString() });
