import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { APPEAL_DECISIONS, APPEAL_STATUSES, type AppealDecisionKind, type AppealStatus, type ClipDto, type PromptAppealDto } from '@provenant/shared';
import { mayUse } from '../../core/access';
import { ApiError } from '../../core/api/api-error';
import { Session } from '../../core/auth/session';
import { ClipEvents } from '../../core/events/clip-events';
import { ClipsApi } from '../clips/clips-api';
import { ModerationPanel } from '../clips/moderation-panel';
import { AppealsApi } from './appeals-api';
import { appealDraftProblem, appealReasonsFor, appealRows, EMPTY_APPEAL_DRAFT, type AppealDraft } from './appeal-view';

const DECISION_LABEL: Record<AppealDecisionKind, string> = { grant: 'Grant: let it go on to generation', deny: 'Deny: the block stands' };

/**
 * Appealed prompt blocks for senior reviewers: each with what blocked it and
 * what its creator says; one opened shows the full moderation evidence and,
 * for a senior reviewer, the grant or deny form. A grant sends the prompt to
 * generation and then to a four-eyes review the granter may not take part in.
 */
@Component({
  selector: 'pv-appeals-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, ModerationPanel, RouterLink],
  template: `
    <div class="page-head">
      <h1>Appeals of prompt blocks</h1>
      <label class="filter">
        Status
        <select data-testid="appeal-status-filter" [value]="status()" (change)="show($any($event.target).value)">
          @for (s of statuses; track s) {
            <option [value]="s">{{ s }}</option>
          }
        </select>
      </label>
    </div>
    @if (error(); as message) {
      <p class="error" role="alert" data-testid="appeals-error">{{ message }}</p>
    }
    @if (outcome(); as message) {
      <p class="notice" role="status" data-testid="appeal-outcome">{{ message }}</p>
    }
    <section class="card">
      @if (rows().length) {
        <table data-testid="appeals">
          <thead>
            <tr>
              <th scope="col">Clip</th>
              <th scope="col">Prompt</th>
              <th scope="col">Blocked because</th>
              <th scope="col">Creator’s reason</th>
              <th scope="col">Appealed</th>
              <th scope="col"></th>
            </tr>
          </thead>
          <tbody>
            @for (row of rows(); track row.clipId) {
              <tr data-testid="appeal-row" [attr.data-clip-id]="row.clipId" [attr.data-status]="row.status">
                <td><a [routerLink]="['/clips', row.clipId]"><code>{{ row.clipId.slice(0, 8) }}</code></a></td>
                <td>{{ row.prompt }}</td>
                <td>
                  {{ row.blockReason }}
                  @for (line of row.evidence; track $index) {
                    <br /><small>{{ line }}</small>
                  }
                </td>
                <td>{{ row.reason }}</td>
                <td><time [attr.datetime]="row.appealedAt">{{ row.appealedAt | date: 'medium' }}</time></td>
                <td><button type="button" class="secondary" data-testid="open-appeal" (click)="open(row.clipId)">Open</button></td>
              </tr>
            }
          </tbody>
        </table>
      } @else {
        <p class="empty" data-testid="no-appeals">No {{ status() }} appeals.</p>
      }
    </section>

    @if (opened(); as clip) {
      <section class="card" aria-labelledby="opened-heading" data-testid="opened-appeal" [attr.data-clip-id]="clip.id">
        <h2 id="opened-heading">Prompt moderation of <code>{{ clip.id.slice(0, 8) }}</code></h2>
        <pv-moderation-panel [clipId]="clip.id" [stages]="clip.stages" [status]="clip.checks.moderation.status" />
        @if (canDecide() && clip.appeal?.status === 'pending') {
          <form class="decision-bar" data-testid="appeal-decision-form" (submit)="$event.preventDefault(); send(clip.id)">
            <fieldset class="reasons">
              <legend>Decision</legend>
              @for (d of decisions; track d) {
                <label class="reason">
                  <input type="radio" name="decision" [value]="d" [checked]="draft().decision === d" (change)="draft.set({ decision: d, reasonCode: null, note: draft().note })" />
                  {{ labelOf[d] }}
                </label>
              }
            </fieldset>
            @if (draft().decision) {
              <fieldset class="reasons">
                <legend>Reason to {{ draft().decision }}</legend>
                @for (reason of reasons(); track reason.code) {
                  <label class="reason">
                    <input type="radio" name="reasonCode" [value]="reason.code" [checked]="draft().reasonCode === reason.code" (change)="draft.set({ ...draft(), reasonCode: reason.code })" />
                    {{ reason.label }} <code>{{ reason.code }}</code>
                  </label>
                }
              </fieldset>
            }
            <label for="appeal-note">Note (required; kept out of the audit log, which stores its hash)</label>
            <textarea id="appeal-note" name="note" rows="2" data-testid="appeal-note" [value]="draft().note" (input)="draft.set({ ...draft(), note: $any($event.target).value })"></textarea>
            <p class="hint" aria-live="polite">{{ problem() ?? 'Ready to send.' }}</p>
            <button type="submit" data-testid="submit-appeal-decision" [disabled]="problem() !== null || busy()">{{ busy() ? 'Sending…' : 'Submit decision' }}</button>
          </form>
        }
      </section>
    }
  `,
})
export class AppealsPage {
  private readonly appeals = inject(AppealsApi);
  private readonly clips = inject(ClipsApi);
  private readonly session = inject(Session);
  protected readonly statuses = APPEAL_STATUSES;
  protected readonly decisions = APPEAL_DECISIONS;
  protected readonly labelOf = DECISION_LABEL;

  protected readonly status = signal<AppealStatus>('pending');
  private readonly items = signal<PromptAppealDto[]>([]);
  protected readonly rows = computed(() => appealRows(this.items()));
  protected readonly opened = signal<ClipDto | null>(null);
  protected readonly draft = signal<AppealDraft>(EMPTY_APPEAL_DRAFT);
  protected readonly reasons = computed(() => appealReasonsFor(this.draft().decision));
  protected readonly problem = computed(() => appealDraftProblem(this.draft()));
  protected readonly canDecide = computed(() => mayUse(this.session.user()?.roles ?? [], 'decideAppeals'));
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly outcome = signal<string | null>(null);

  constructor() {
    void this.load();
    // A new appeal, or one decided elsewhere, comes as a clip event.
    inject(ClipEvents)
      .messages.pipe(takeUntilDestroyed())
      .subscribe((message) => {
        if (message.type === 'open' || message.event.appeal) void this.load();
      });
  }

  protected show(status: AppealStatus): void {
    this.status.set(status);
    this.opened.set(null);
    void this.load();
  }

  protected async open(clipId: string): Promise<void> {
    this.draft.set(EMPTY_APPEAL_DRAFT);
    this.outcome.set(null);
    try {
      this.opened.set(await this.clips.get(clipId));
    } catch (error) {
      this.error.set(ApiError.describe(error));
    }
  }

  protected async send(clipId: string): Promise<void> {
    const draft = this.draft();
    if (appealDraftProblem(draft) || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const result = await this.appeals.decide(clipId, { decision: draft.decision!, reasonCode: draft.reasonCode!, note: draft.note.trim() });
      this.outcome.set(`Appeal ${result.status}; the clip is now ${result.state}.`);
      this.opened.set(null);
      await this.load();
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.busy.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      this.items.set(await this.appeals.list(this.status()));
      this.error.set(null);
    } catch (error) {
      this.error.set(ApiError.describe(error));
    }
  }
}
