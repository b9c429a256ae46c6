import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { CHECK_KINDS, type CheckKind, type CheckStatus, type ClipCheckDto } from '@provenant/shared';

/** Wording that never suggests a check ran when it did not. */
const STATUS_TEXT: Record<CheckStatus, string> = {
  not_available: 'not available in this build — did not run',
  pending: 'pending — has not run yet',
  ran: 'ran',
  failed: 'failed — did not complete',
};

const NOT_RUN_REASON: Record<Exclude<CheckStatus, 'ran'>, string> = {
  not_available: 'not available in this build',
  pending: 'pending',
  failed: 'failed',
};

interface CheckRow {
  kind: CheckKind;
  status: CheckStatus;
  text: string;
  note: string | null;
}

@Component({
  selector: 'pv-check-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <p class="checks-summary" data-testid="checks-not-run">
      @if (notRun().length) {
        Did not run: {{ notRun().join(', ') }}.
      } @else {
        Every check ran.
      }
    </p>
    <ul class="checks" data-testid="checks">
      @for (row of rows(); track row.kind) {
        <li class="check check-{{ row.status }}" data-testid="check" [attr.data-check]="row.kind" [attr.data-status]="row.status">
          <span class="check-name">{{ row.kind }}</span>: <span class="check-status">{{ row.text }}</span>
          @if (row.note) {
            <span class="check-note" data-testid="check-note">{{ row.note }}</span>
          }
        </li>
      }
    </ul>
  `,
})
export class CheckList {
  readonly checks = input.required<Partial<Record<CheckKind, ClipCheckDto>>>();

  protected readonly rows = computed<CheckRow[]>(() => {
    const checks = this.checks();
    return CHECK_KINDS.flatMap((kind) => {
      const check = checks[kind];
      return check ? [{ kind, status: check.status, text: STATUS_TEXT[check.status] ?? check.status, note: check.note }] : [];
    });
  });

  protected readonly notRun = computed(() =>
    this.rows().flatMap((row) => (row.status === 'ran' ? [] : [`${row.kind} (${NOT_RUN_REASON[row.status]})`])),
  );
}
