import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { StageResultDto } from '@provenant/shared';
import { likenessSections } from './likeness-view';

/** Names in the prompt and faces in the clip that matched the likeness registry, with the consent that decided each (who: staff only). */
@Component({
  selector: 'pv-likeness-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @for (section of sections(); track section.title) {
      <section data-testid="likeness-section" [attr.data-verdict]="section.verdict">
        <h3>
          {{ section.title }}: <span class="verdict verdict-{{ section.verdict }}">{{ section.verdict }}</span>
        </h3>
        <p class="hint">Policy <code>{{ section.policyVersion }}</code></p>
        @if (section.rows.length) {
          <table class="likeness-matches" data-testid="likeness-matches">
            <thead>
              <tr>
                <th scope="col">Where</th>
                <th scope="col">Found</th>
                <th scope="col">Matched</th>
                <th scope="col">Consent</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              @for (row of section.rows; track $index) {
                <tr data-testid="likeness-match" [attr.data-outcome]="row.outcome" [class.flagged]="row.outcome !== 'allow'">
                  <td>{{ row.where }}</td>
                  <td>{{ row.found }}</td>
                  <td>{{ row.who ?? '—' }}</td>
                  <td>{{ row.consent }}</td>
                  <td><span class="verdict verdict-{{ row.outcome }}">{{ row.outcome }}</span></td>
                </tr>
              }
            </tbody>
          </table>
        } @else {
          <p class="hint">No one in the likeness registry was found here.</p>
        }
        @for (note of section.notes; track $index) {
          <p class="notice" data-testid="likeness-note">{{ note }}</p>
        }
      </section>
    } @empty {
      <p class="hint">The likeness check has not run on this clip yet.</p>
    }
  `,
})
export class LikenessPanel {
  readonly stages = input.required<readonly StageResultDto[]>();
  protected readonly sections = computed(() => likenessSections(this.stages()));
}
