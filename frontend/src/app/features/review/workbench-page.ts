import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ClipDto, ReviewClaimDto, ReviewQueueItemDto } from '@provenant/shared';
import { mayUse } from '../../core/access';
import { ApiError } from '../../core/api/api-error';
import { Session } from '../../core/auth/session';
import { ClipEvents } from '../../core/events/clip-events';
import { formatDuration } from '../../shared/ui/countdown';
import { SHORTCUTS, shortcutOf } from '../../shared/ui/hotkeys';
import { StateBadge } from '../../shared/ui/state-badge';
import { CheckList } from '../clips/check-list';
import { ClipsApi } from '../clips/clips-api';
import { LikenessPanel } from '../clips/likeness-panel';
import { ModerationPanel } from '../clips/moderation-panel';
import { ClipPlayer } from './clip-player';
import { DecisionBar } from './decision-bar';
import { chooseDecision, chooseReasonByIndex, type DecisionDraft, draftProblem, EMPTY_DRAFT, toDecisionRequest } from './decision-draft';
import { fourEyesText } from './four-eyes';
import { heartbeatDelayMs } from './lease';
import { queueRows } from './queue-view';
import { ReviewApi } from './review-api';
import { ReviewQueueTable } from './review-queue-table';

/** Claims by other reviewers change no clip state (no event): the queue is also re-read this often. */
const QUEUE_REFRESH_MS = 15_000;

/**
 * The reviewer's workbench: the queue, "Claim next", and for the claimed
 * clip the player, its prompt and evidence, the four-eyes state and the
 * decision bar. The claim is kept alive by heartbeats while the page is open
 * and given back when the reviewer leaves the page or closes it.
 */
@Component({
  selector: 'pv-workbench-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CheckList, ClipPlayer, DecisionBar, LikenessPanel, ModerationPanel, ReviewQueueTable, StateBadge],
  templateUrl: './workbench-page.html',
  host: { '(document:keydown)': 'onKey($event)', '(window:pagehide)': 'onPageHide()' },
})
export class WorkbenchPage {
  private readonly review = inject(ReviewApi);
  private readonly clips = inject(ClipsApi);
  private readonly session = inject(Session);
  private readonly player = viewChild(ClipPlayer);

  protected readonly shortcuts = SHORTCUTS;
  protected readonly now = signal(Date.now());
  protected readonly canClaim = computed(() => mayUse(this.session.user()?.roles ?? [], 'claim'));

  protected readonly queue = signal<ReviewQueueItemDto[]>([]);
  protected readonly queueLoading = signal(true);
  protected readonly queueError = signal<string | null>(null);
  protected readonly rows = computed(() => queueRows(this.queue(), this.now(), this.session.user()?.id ?? null));

  protected readonly claim = signal<ReviewClaimDto | null>(null);
  protected readonly clip = signal<ClipDto | null>(null);
  protected readonly mediaUrl = signal<string | null>(null);
  protected readonly mediaError = signal<string | null>(null);
  protected readonly claimError = signal<string | null>(null);
  protected readonly claiming = signal(false);
  protected readonly leaseLeft = computed(() => {
    const claim = this.claim();
    return claim ? formatDuration(Date.parse(claim.leaseExpiresAt) - this.now()) : null;
  });
  protected readonly fourEyes = computed(() => {
    const clip = this.clip();
    const item = this.queue().find((i) => i.clipId === clip?.id);
    return clip ? fourEyesText(clip.review, item?.seniorApprovalNeeded ?? false) : '';
  });

  protected readonly draft = signal<DecisionDraft>(EMPTY_DRAFT);
  protected readonly deciding = signal(false);
  protected readonly decisionError = signal<string | null>(null);
  protected readonly outcome = signal<string | null>(null);
  protected readonly showHelp = signal(false);

  private heartbeat: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    const tick = setInterval(() => this.now.set(Date.now()), 1000);
    const refresh = setInterval(() => void this.loadQueue(), QUEUE_REFRESH_MS);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(tick);
      clearInterval(refresh);
      // Leaving the workbench inside the console: hand the clip back to the queue at once.
      const held = this.claim();
      if (held) void this.review.giveBack(held.clipId).catch(() => undefined);
      this.dropClaim();
    });
    inject(ClipEvents)
      .messages.pipe(takeUntilDestroyed())
      .subscribe(() => void this.loadQueue());
    void this.loadQueue();
  }

  protected async claimNext(): Promise<void> {
    if (!this.canClaim() || this.claiming()) return;
    this.claiming.set(true);
    this.claimError.set(null);
    this.outcome.set(null);
    try {
      const claim = await this.review.claimNext();
      await this.open(claim);
    } catch (error) {
      this.claimError.set(ApiError.describe(error));
    } finally {
      this.claiming.set(false);
      void this.loadQueue();
    }
  }

  protected async giveBack(): Promise<void> {
    const held = this.claim();
    if (!held) return;
    this.dropClaim();
    try {
      await this.review.giveBack(held.clipId);
    } catch (error) {
      this.claimError.set(ApiError.describe(error));
    }
    void this.loadQueue();
  }

  protected async decide(): Promise<void> {
    const held = this.claim();
    const draft = this.draft();
    if (!held || draftProblem(draft) !== null || this.deciding()) return;
    this.deciding.set(true);
    this.decisionError.set(null);
    try {
      const result = await this.review.decide(held.clipId, toDecisionRequest(draft));
      this.dropClaim();
      this.outcome.set(
        `${draft.decision} sent for clip ${result.clipId.slice(0, 8)}: it is now ${result.state} (${result.approvals} of ${result.approvalsNeeded} approvals${result.final ? ', round closed' : ''}).`,
      );
    } catch (error) {
      this.decisionError.set(ApiError.describe(error));
    } finally {
      this.deciding.set(false);
      void this.loadQueue();
    }
  }

  protected onKey(event: KeyboardEvent): void {
    const shortcut = shortcutOf(event);
    if (!shortcut) return;
    const player = this.player();
    const holding = this.claim() !== null;
    switch (shortcut.kind) {
      case 'claim-next':
        if (!holding) void this.claimNext();
        break;
      case 'decide':
        if (holding) this.draft.set(chooseDecision(this.draft(), shortcut.decision));
        break;
      case 'reason':
        if (holding) this.draft.set(chooseReasonByIndex(this.draft(), shortcut.index));
        break;
      case 'play-pause':
        player?.togglePlay();
        break;
      case 'frame':
        player?.step(shortcut.step);
        break;
      case 'reveal':
        player?.toggleReveal();
        break;
      case 'help':
        this.showHelp.update((shown) => !shown);
        break;
    }
    event.preventDefault();
  }

  /** The tab is closing or navigating away from the console: a keepalive request gives the claim back. */
  protected onPageHide(): void {
    const held = this.claim();
    if (held) this.review.giveBackWhileLeaving(held.clipId);
  }

  private async open(claim: ReviewClaimDto): Promise<void> {
    this.claim.set(claim);
    this.draft.set(EMPTY_DRAFT);
    this.decisionError.set(null);
    this.scheduleHeartbeat();
    const clip = await this.clips.get(claim.clipId);
    if (this.claim()?.clipId !== claim.clipId) return;
    this.clip.set(clip);
    try {
      const blob = await this.review.media(claim.clipId);
      if (this.claim()?.clipId !== claim.clipId) return;
      this.mediaUrl.set(URL.createObjectURL(blob));
    } catch (error) {
      this.mediaError.set(ApiError.describe(error));
    }
  }

  private scheduleHeartbeat(): void {
    const claim = this.claim();
    if (this.heartbeat) clearTimeout(this.heartbeat);
    if (!claim) return;
    this.heartbeat = setTimeout(async () => {
      try {
        const renewed = await this.review.heartbeat(claim.clipId);
        if (this.claim()?.clipId !== claim.clipId) return;
        this.claim.set(renewed);
        this.scheduleHeartbeat();
      } catch (error) {
        if (this.claim()?.clipId !== claim.clipId) return;
        this.dropClaim();
        this.claimError.set(`Your claim on clip ${claim.clipId.slice(0, 8)} ended: ${ApiError.describe(error)} Claim it again to go on.`);
      }
    }, heartbeatDelayMs(claim.leaseExpiresAt, Date.now()));
  }

  private dropClaim(): void {
    if (this.heartbeat) clearTimeout(this.heartbeat);
    this.heartbeat = null;
    const url = this.mediaUrl();
    if (url) URL.revokeObjectURL(url);
    this.mediaUrl.set(null);
    this.mediaError.set(null);
    this.clip.set(null);
    this.claim.set(null);
    this.draft.set(EMPTY_DRAFT);
  }

  private async loadQueue(): Promise<void> {
    try {
      this.queue.set(await this.review.queue());
      this.queueError.set(null);
    } catch (error) {
      this.queueError.set(ApiError.describe(error));
    } finally {
      this.queueLoading.set(false);
    }
  }
}
