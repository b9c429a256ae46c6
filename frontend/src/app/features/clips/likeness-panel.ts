import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { StageResultDto } from '@provenant/shared';
import { likenessSummary } from './likeness-view';

/** Names of people found in the prompt, with the consent that decided each (who matched is shown to staff only). */
@Component({
  selector: 'pv-likeness-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let s = summary();
    @if (s.verdict === null) {
      <p class="hint">The likeness check has not run on this clip.</p>
    } @else {
      <p data-testid="likeness-verdict" [attr.data-verdict]="s.verdict">
        Prompt: <span class="verdict verdict-{{ s.verdict }}">{{ s.verdict }}</span> · policy <code>{{ s.policyVersion }}</code>
      </p>
      @if (s.rows.length) {
        <table class="likeness-names" data-testid="likeness-names">
          <thead>
            <tr>
              <th scope="col">In the prompt</th>
              <th scope="col">Matched</th>
              <th scope="col">Consent</th>
              <th scope="col">Found by</th>
              <th scope="col">Outcome</th>
            </tr>
          </thead>
          <tbody>
            @for (row of s.rows; track $index) {
              <tr data-testid="likeness-name" [attr.data-outcome]="row.outcome" [class.flagged]="row.outcome !== 'allow'">
                <td><q>{{ row.matched }}</q></td>
                <td>{{ row.who ?? '—' }}</td>
                <td>{{ row.consent }}</td>
                <td>{{ row.via }}</td>
                <td><span class="verdict verdict-{{ row.outcome }}">{{ row.outcome }}</span></td>
              </tr>
            }
          </tbody>
        </table>
      } @else {
        <p class="hint">No person’s name found in the prompt.</p>
      }
      @for (note of s.notes; track $index) {
        <p class="notice" data-testid="likeness-note">{{ note }}</p>
      }
    }
  `,
})
export class LikenessPanel {
  readonly stages = input.required<readonly StageResultDto[]>();
  protected readonly summary = computed(() => likenessSummary(this.stages()));
}
