import { ChangeDetectionStrategy, Component, computed, input, model, output } from '@angular/core';
import { REVIEW_DECISIONS, type ReviewDecisionKind } from '@provenant/shared';
import { chooseDecision, type DecisionDraft, draftProblem, reasonsFor } from './decision-draft';

const DECISION_LABEL: Record<ReviewDecisionKind, string> = { approve: 'Approve', reject: 'Reject', escalate: 'Escalate' };
const DECISION_KEY: Record<ReviewDecisionKind, string> = { approve: 'A', reject: 'R', escalate: 'E' };

/** Approve, reject or escalate, with a reason from the catalogue and an optional note. */
@Component({
  selector: 'pv-decision-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="decision-bar" data-testid="decision-bar" (submit)="$event.preventDefault(); send()">
      <div class="decisions" role="group" aria-label="Decision">
        @for (d of decisions; track d) {
          <button type="button" class="decision decision-{{ d }}" [attr.aria-label]="labelOf[d]" [attr.aria-pressed]="draft().decision === d" [attr.aria-keyshortcuts]="keyOf[d]" (click)="choose(d)">
            {{ labelOf[d] }} <kbd>{{ keyOf[d] }}</kbd>
          </button>
        }
      </div>
      @if (draft().decision; as decision) {
        <fieldset class="reasons">
          <legend>Reason to {{ decision }}</legend>
          @for (reason of reasons(); track reason.code; let i = $index) {
            <label class="reason">
              <input type="radio" name="reason" [value]="reason.code" [checked]="draft().reasonCode === reason.code" (change)="draft.set({ ...draft(), reasonCode: reason.code })" />
              <kbd>{{ i + 1 }}</kbd> {{ reason.label }} <code>{{ reason.code }}</code>
            </label>
          }
        </fieldset>
        <label for="decision-note">Note (optional; kept out of the audit log, which stores its hash)</label>
        <textarea id="decision-note" name="note" rows="2" [value]="draft().note" (input)="draft.set({ ...draft(), note: $any($event.target).value })"></textarea>
      }
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="decision-error">{{ message }}</p>
      }
      <p class="hint" aria-live="polite">{{ problem() ?? 'Ready to send.' }}</p>
      <button type="submit" data-testid="submit-decision" [disabled]="problem() !== null || busy()">{{ busy() ? 'Sending…' : 'Submit decision' }}</button>
    </form>
  `,
  styles: `
    .decisions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .decision[aria-pressed='true'] { outline: 3px solid var(--ink); }
    .decision-reject { background: var(--stopped-ink); }
    .decision-escalate { background: var(--review-ink); }
    .reasons { border: 1px solid var(--line); margin: 0.75rem 0; padding: 0.5rem 0.75rem; }
    .reason { display: flex; gap: 0.4rem; align-items: baseline; font-weight: normal; margin: 0.2rem 0; }
    .reason input { width: auto; margin: 0; }
    kbd { font-size: 0.75rem; border: 1px solid currentColor; border-radius: 3px; padding: 0 0.25rem; }
    textarea { width: 100%; }
  `,
})
export class DecisionBar {
  readonly draft = model.required<DecisionDraft>();
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly submitted = output<void>();

  protected readonly decisions = REVIEW_DECISIONS;
  protected readonly labelOf = DECISION_LABEL;
  protected readonly keyOf = DECISION_KEY;
  protected readonly reasons = computed(() => {
    const decision = this.draft().decision;
    return decision ? reasonsFor(decision) : [];
  });
  protected readonly problem = computed(() => draftProblem(this.draft()));

  protected choose(decision: ReviewDecisionKind): void {
    this.draft.set(chooseDecision(this.draft(), decision));
  }

  protected send(): void {
    if (this.problem() === null && !this.busy()) this.submitted.emit();
  }
}
