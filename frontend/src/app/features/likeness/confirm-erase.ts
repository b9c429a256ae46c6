import { ChangeDetectionStrategy, Component, input, output, signal } from '@angular/core';

/** An erase that asks first: the first press says what will be deleted, the second does it. */
@Component({
  selector: 'pv-confirm-erase',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (asking()) {
      <div class="confirm" role="group" aria-label="Confirm erasure" data-testid="erase-confirm">
        <p>{{ consequence() }}</p>
        <button type="button" class="danger" data-testid="erase-yes" [disabled]="busy()" (click)="confirmed.emit()">{{ busy() ? 'Erasing…' : 'Yes, erase' }}</button>
        <button type="button" class="secondary" data-testid="erase-cancel" [disabled]="busy()" (click)="asking.set(false)">Cancel</button>
      </div>
    } @else {
      <button type="button" class="secondary" data-testid="erase" (click)="asking.set(true)">{{ label() }}</button>
    }
  `,
})
export class ConfirmErase {
  readonly label = input('Erase…');
  /** What the erasure deletes, in a sentence. */
  readonly consequence = input.required<string>();
  readonly busy = input(false);
  readonly confirmed = output<void>();
  protected readonly asking = signal(false);
}
