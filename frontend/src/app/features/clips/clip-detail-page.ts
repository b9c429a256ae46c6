import { DatePipe, JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { type ClipDto, FAILURE_REASONS } from '@provenant/shared';
import { ApiError } from '../../core/api/api-error';
import { AppealPanel } from '../appeals/appeal-panel';
import { CheckList } from './check-list';
import { ClipEvents } from '../../core/events/clip-events';
import { ClipsApi } from './clips-api';
import { LatestOnly } from './latest-only';
import { LikenessPanel } from './likeness-panel';
import { ModerationPanel } from './moderation-panel';
import { stageNote } from './stage-note';
import { StateBadge } from '../../shared/ui/state-badge';

@Component({
  selector: 'pv-clip-detail-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [AppealPanel, CheckList, DatePipe, JsonPipe, LikenessPanel, ModerationPanel, RouterLink, StateBadge],
  templateUrl: './clip-detail-page.html',
})
export class ClipDetailPage {
  /** From the route (`clips/:id`). */
  readonly id = input.required<string>();

  private readonly clips = inject(ClipsApi);
  private readonly loads = new LatestOnly();
  private readonly events = inject(ClipEvents);
  protected readonly streamStatus = this.events.status;
  protected readonly noteOf = stageNote;

  protected readonly clip = signal<ClipDto | null>(null);
  protected readonly loadError = signal<string | null>(null);
  /** Newest first: the current state is what a reviewer looks for. */
  protected readonly transitions = computed(() => [...(this.clip()?.transitions ?? [])].reverse());
  protected readonly failureText = computed(() => {
    const reason = this.clip()?.failureReason;
    if (!reason) return null;
    return reason in FAILURE_REASONS ? `${FAILURE_REASONS[reason as keyof typeof FAILURE_REASONS]} (${reason})` : reason;
  });

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => {
        this.clip.set(null);
        void this.load(id);
      });
    });
    this.events.messages
      .pipe(takeUntilDestroyed())
      .subscribe((message) => {
        if (message.type === 'open') {
          void this.load(this.id());
        } else if (message.event.clipId === this.id()) {
          // Show the pushed state at once; the refetch brings stages, checks and the timeline.
          const { state, at } = message.event;
          this.clip.update((clip) => clip && { ...clip, state, updatedAt: at });
          void this.load(this.id());
        }
      });
  }

  protected reload(): void {
    void this.load(this.id());
  }

  private async load(id: string): Promise<void> {
    try {
      const clip = await this.loads.run('clip', () => this.clips.get(id));
      if (clip === undefined || clip.id !== this.id()) return;
      this.clip.set(clip);
      this.loadError.set(null);
    } catch (error) {
      this.loadError.set(ApiError.describe(error));
    }
  }
}
