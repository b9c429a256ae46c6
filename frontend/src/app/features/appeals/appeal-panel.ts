import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import type { ClipDto } from '@provenant/shared';
import { ApiError } from '../../core/api/api-error';
import { Session } from '../../core/auth/session';
import { AppealsApi } from './appeals-api';
import { appealPanelView, writingProblem } from './appeal-view';

/** On the clip page: the appeal's state, and for the submitter of a prompt blocked before generation, the form to appeal it once. */
@Component({
  selector: 'pv-appeal-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe],
  template: `
    @if (view().visible) {
      <section class="card" aria-labelledby="appeal-heading" data-testid="appeal" [attr.data-status]="clip().appeal?.status ?? 'none'">
        <h2 id="appeal-heading">Appeal</h2>
        @if (clip().appeal; as appeal) {
          <p data-testid="appeal-status">{{ view().status }}</p>
          <dl class="facts">
            <dt>Appealed</dt>
            <dd><time [attr.datetime]="appeal.appealedAt">{{ appeal.appealedAt | date: 'medium' }}</time></dd>
            @if (appeal.reason) {
              <dt>Reason given</dt>
              <dd data-testid="appeal-reason">{{ appeal.reason }}</dd>
            }
            @if (view().decision; as decision) {
              <dt>Decision</dt>
              <dd data-testid="appeal-decision">{{ decision }}</dd>
            }
          </dl>
        } @else if (view().canAppeal) {
          <form data-testid="appeal-form" (submit)="$event.preventDefault(); send()">
            <p class="hint">The prompt check blocked this prompt before anything was generated. If the block is wrong, say why: a senior reviewer decides. A block is appealed once.</p>
            <label for="appeal-reason">Why the block is wrong</label>
            <textarea id="appeal-reason" name="reason" rows="3" data-testid="appeal-reason-input" [value]="reason()" (input)="reason.set($any($event.target).value)"></textarea>
            @if (error(); as message) {
              <p class="error" role="alert" data-testid="appeal-error">{{ message }}</p>
            }
            <p class="hint" aria-live="polite">{{ problem() ?? 'Ready to send.' }}</p>
            <button type="submit" data-testid="submit-appeal" [disabled]="problem() !== null || busy()">{{ busy() ? 'Sending…' : 'Appeal the block' }}</button>
          </form>
        }
      </section>
    }
  `,
})
export class AppealPanel {
  readonly clip = input.required<ClipDto>();
  /** The appeal was filed: the page reloads the clip. */
  readonly appealed = output<void>();

  private readonly appeals = inject(AppealsApi);
  private readonly session = inject(Session);
  protected readonly view = computed(() => appealPanelView(this.clip(), this.session.user()?.id ?? null));
  protected readonly reason = signal('');
  protected readonly problem = computed(() => writingProblem(this.reason(), 'a reason'));
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async send(): Promise<void> {
    if (this.problem() || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.appeals.file(this.clip().id, this.reason().trim());
      this.appealed.emit();
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.busy.set(false);
    }
  }
}
