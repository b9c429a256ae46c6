import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { QueueRow } from './queue-view';

/** The review queue: priority, a live due countdown (overdue highlighted), who holds each clip. */
@Component({
  selector: 'pv-review-queue-table',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <div class="table-scroll">
      <table class="queue" data-testid="review-queue">
        <caption class="visually-hidden">Clips waiting for review, most urgent first</caption>
        <thead>
          <tr>
            <th scope="col">Clip</th>
            <th scope="col">Priority</th>
            <th scope="col">Due</th>
            <th scope="col">Held by</th>
            <th scope="col">Approvals</th>
          </tr>
        </thead>
        <tbody>
          @for (row of rows(); track row.clipId) {
            <tr data-testid="queue-row" [attr.data-clip-id]="row.clipId" [class.overdue]="row.overdue" [class.mine]="row.heldByMe">
              <td><a [routerLink]="['/clips', row.clipId]"><code>{{ row.clipId.slice(0, 8) }}</code></a></td>
              <td><span class="tag tag-{{ row.priority }}">{{ row.priority }}</span></td>
              <td data-testid="queue-due" [attr.data-overdue]="row.overdue">{{ row.due }}</td>
              <td>{{ row.holder }}</td>
              <td>
                {{ row.approvals }}
                @for (note of row.notes; track note) {
                  <span class="queue-note">{{ note }}</span>
                }
              </td>
            </tr>
          } @empty {
            <tr>
              <td colspan="5" class="empty" data-testid="queue-empty">{{ loading() ? 'Loading the queue…' : 'The queue is empty: nothing is waiting for review.' }}</td>
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styles: `
    .table-scroll { overflow-x: auto; }
    .queue { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    .queue th, .queue td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid var(--line); }
    tr.overdue td { background: var(--stopped-bg); }
    tr.overdue [data-testid='queue-due'] { color: var(--stopped-ink); font-weight: 600; }
    tr.mine td { font-weight: 600; }
    .tag-high { background: var(--review-bg); color: var(--review-ink); }
    .queue-note { display: inline-block; margin-left: 0.35rem; font-size: 0.8rem; color: var(--muted); }
  `,
})
export class ReviewQueueTable {
  readonly rows = input.required<QueueRow[]>();
  readonly loading = input(false);
}
