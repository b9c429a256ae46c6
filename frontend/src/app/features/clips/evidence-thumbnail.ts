import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { ApiError } from '../../core/api/api-error';
import { ClipsApi } from './clips-api';

/** One evidence frame, loaded with the session's token and shown from an object URL that is released again. */
@Component({
  selector: 'pv-evidence-thumbnail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="evidence-frame" data-testid="evidence-frame" [attr.data-sha256]="sha256()" [attr.data-loaded]="url() !== null">
      @if (url(); as src) {
        <img [src]="src" [alt]="'Frame at ' + timestampSeconds() + ' s, score ' + score()" width="192" />
      } @else if (error(); as message) {
        <span class="error">{{ message }}</span>
      } @else {
        <span class="empty">Loading frame…</span>
      }
      <figcaption>{{ timestampSeconds() }} s · score {{ score() }}</figcaption>
    </figure>
  `,
  styles: `
    .evidence-frame { display: inline-block; margin: 0 0.75rem 0.75rem 0; vertical-align: top; }
    .evidence-frame img { display: block; max-width: 192px; height: auto; border: 1px solid var(--line); }
    .evidence-frame figcaption { font-size: 0.8rem; color: var(--muted); }
  `,
})
export class EvidenceThumbnail {
  readonly clipId = input.required<string>();
  readonly sha256 = input.required<string>();
  readonly timestampSeconds = input.required<number>();
  readonly score = input.required<string>();

  private readonly clips = inject(ClipsApi);
  protected readonly url = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);

  constructor() {
    effect(() => {
      const [clipId, sha256] = [this.clipId(), this.sha256()];
      untracked(() => void this.load(clipId, sha256));
    });
    inject(DestroyRef).onDestroy(() => this.release());
  }

  private async load(clipId: string, sha256: string): Promise<void> {
    try {
      const blob = await this.clips.evidenceImage(clipId, sha256);
      this.release();
      this.url.set(URL.createObjectURL(blob));
    } catch (error) {
      this.error.set(ApiError.describe(error));
    }
  }

  private release(): void {
    const url = this.url();
    if (url) URL.revokeObjectURL(url);
    this.url.set(null);
  }
}
