import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { type ClipState, PROCESSING_STATES } from '@provenant/shared';

type BadgeTone = 'working' | 'review' | 'released' | 'stopped';

/** "AWAITING_REVIEW" → "Awaiting review". */
export function stateLabel(state: ClipState): string {
  const words = state.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function toneOf(state: ClipState): BadgeTone {
  if (state === 'AWAITING_REVIEW') return 'review';
  if (state === 'RELEASED') return 'released';
  return PROCESSING_STATES.includes(state) ? 'working' : 'stopped';
}

/** A clip state as a labelled badge; the colour only repeats what the text says. */
@Component({
  selector: 'pv-state-badge',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span
    class="badge badge-{{ tone() }}"
    data-testid="state-badge"
    [attr.data-state]="state()"
    [title]="state()"
    ><span class="visually-hidden">State: </span>{{ label() }}</span
  >`,
})
export class StateBadge {
  readonly state = input.required<ClipState>();
  protected readonly label = computed(() => stateLabel(this.state()));
  protected readonly tone = computed(() => toneOf(this.state()));
}
