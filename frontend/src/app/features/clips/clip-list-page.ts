import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { RouterLink } from '@angular/router';
import {
  CLIP_STATES,
  type ClipDto,
  type ClipEventDto,
  type ClipState,
  type ClipSummaryDto,
  type SubmitClipResponse,
} from '@provenant/shared';
import { mayUse } from '../../core/access';
import { ApiError } from '../../core/api/api-error';
import { Session } from '../../core/auth/session';
import { ClipEvents } from '../../core/events/clip-events';
import { ClipsApi, toSummary } from './clips-api';
import { LatestOnly } from './latest-only';
import { StateBadge, stateLabel } from '../../shared/ui/state-badge';

@Component({
  selector: 'pv-clip-list-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, FormsModule, RouterLink, StateBadge],
  templateUrl: './clip-list-page.html',
})
export class ClipListPage {
  private readonly clips = inject(ClipsApi);
  private readonly loads = new LatestOnly();
  private readonly events = inject(ClipEvents);
  protected readonly streamStatus = this.events.status;
  private readonly session = inject(Session);
  /** Only creators and admins submit; the other roles are not shown a form the API would refuse. */
  protected readonly canSubmit = computed(() => mayUse(this.session.user()?.roles ?? [], 'submit'));

  protected readonly states = CLIP_STATES;
  protected readonly stateLabel = stateLabel;

  protected readonly stateFilter = signal<ClipState | null>(null);
  protected readonly rows = signal<ClipSummaryDto[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);

  protected readonly prompt = signal('');
  protected readonly submitting = signal(false);
  protected readonly submitError = signal<string | null>(null);
  protected readonly submitted = signal<SubmitClipResponse | null>(null);

  constructor() {
    void this.reload();
    this.events.messages
      .pipe(takeUntilDestroyed())
      // Events sent before the stream (re)opened are lost, so every opening reloads the list.
      .subscribe((message) => (message.type === 'open' ? void this.reload() : this.onClipEvent(message.event)));
  }

  protected filterBy(state: ClipState | null): void {
    this.stateFilter.set(state);
    void this.reload();
  }

  protected async reload(): Promise<void> {
    this.loading.set(true);
    try {
      const page = await this.loads.run('list', () => this.clips.list({ state: this.stateFilter(), cursor: null }));
      if (!page) return;
      this.rows.set(page.items);
      this.nextCursor.set(page.nextCursor);
      this.loadError.set(null);
      this.loading.set(false);
    } catch (error) {
      this.loadError.set(ApiError.describe(error));
      this.loading.set(false);
    }
  }

  protected async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor) return;
    this.loading.set(true);
    try {
      const page = await this.loads.run('list', () => this.clips.list({ state: this.stateFilter(), cursor }));
      if (!page) return;
      const known = new Set(this.rows().map((row) => row.id));
      this.rows.update((rows) => [...rows, ...page.items.filter((item) => !known.has(item.id))]);
      this.nextCursor.set(page.nextCursor);
      this.loadError.set(null);
      this.loading.set(false);
    } catch (error) {
      this.loadError.set(ApiError.describe(error));
      this.loading.set(false);
    }
  }

  protected async submitPrompt(): Promise<void> {
    const prompt = this.prompt().trim();
    if (!prompt) {
      this.submitError.set('Write a prompt before submitting.');
      return;
    }
    this.submitting.set(true);
    this.submitError.set(null);
    try {
      const accepted = await this.clips.submit({ prompt });
      this.submitted.set(accepted);
      this.prompt.set('');
      void this.refetch(accepted.id);
    } catch (error) {
      this.submitError.set(ApiError.describe(error));
    } finally {
      this.submitting.set(false);
    }
  }

  /** Shows the pushed state at once, then refetches the clip for everything else that changed. */
  private onClipEvent(event: ClipEventDto): void {
    this.rows.update((rows) =>
      rows.map((row) => (row.id === event.clipId ? { ...row, state: event.state, updatedAt: event.at } : row)),
    );
    void this.refetch(event.clipId);
  }

  private async refetch(id: string): Promise<void> {
    try {
      const clip = await this.loads.run(`clip:${id}`, () => this.clips.get(id));
      if (clip) this.place(clip);
    } catch (error) {
      // The row keeps the state the event pushed; the next event or reload corrects the rest.
      console.warn(`Could not refresh clip ${id}:`, ApiError.describe(error));
    }
  }

  /** Updates, adds or (when it no longer matches the filter) removes the clip's row. */
  private place(clip: ClipDto): void {
    const summary = toSummary(clip);
    const filter = this.stateFilter();
    const matches = filter === null || summary.state === filter;
    this.rows.update((rows) => {
      const others = rows.filter((row) => row.id !== summary.id);
      if (!matches) return others;
      return others.length === rows.length ? [summary, ...rows] : rows.map((row) => (row.id === summary.id ? summary : row));
    });
  }
}
