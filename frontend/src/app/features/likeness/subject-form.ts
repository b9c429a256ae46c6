import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { LIKENESS_NAME_LIMITS, type LikenessSubjectDto, type LikenessSubjectKind } from '@provenant/shared';
import { ApiError } from '../../core/api/api-error';
import { LikenessApi } from './likeness-api';
import { EMPTY_SUBJECT_DRAFT, subjectDraftProblem, subjectRequest, type SubjectDraft } from './likeness-registry-view';

/** The names of a new subject: a protected one (registry page) or the caller's own likeness (My likeness). */
@Component({
  selector: 'pv-subject-form',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form data-testid="subject-form" [attr.data-kind]="kind()" (submit)="$event.preventDefault(); send()">
      <label [for]="id('name')">Display name</label>
      <input type="text" [id]="id('name')" name="displayName" data-testid="subject-name" autocomplete="off" [value]="draft().displayName" (input)="edit({ displayName: $any($event.target).value })" />
      <label [for]="id('aliases')">Aliases (optional; separate with commas)</label>
      <input type="text" [id]="id('aliases')" name="aliases" data-testid="subject-aliases" autocomplete="off" [value]="draft().aliases" (input)="edit({ aliases: $any($event.target).value })" />
      <p class="hint">Up to {{ limits.maxAliases }} other names the person is known by. Names match as whole words in prompts.</p>
      <label class="check-label">
        <input type="checkbox" name="distinctive" data-testid="subject-distinctive" [checked]="draft().distinctive" (change)="edit({ distinctive: $any($event.target).checked })" />
        Distinctive: a one-word name (such as a stage name) matches on its own
      </label>
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="subject-error">{{ message }}</p>
      }
      <p class="hint" aria-live="polite">{{ problem() ?? 'Ready to send.' }}</p>
      <button type="submit" data-testid="subject-submit" [disabled]="problem() !== null || busy()">{{ busy() ? 'Sending…' : submitLabel() }}</button>
    </form>
  `,
})
export class SubjectForm {
  readonly kind = input.required<LikenessSubjectKind>();
  readonly submitLabel = input('Enter');
  readonly created = output<LikenessSubjectDto>();

  private readonly likeness = inject(LikenessApi);
  protected readonly limits = LIKENESS_NAME_LIMITS;
  protected readonly draft = signal<SubjectDraft>(EMPTY_SUBJECT_DRAFT);
  protected readonly problem = computed(() => subjectDraftProblem(this.draft()));
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected id(field: string): string {
    return `${this.kind()}-${field}`;
  }

  protected edit(change: Partial<SubjectDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected async send(): Promise<void> {
    if (this.problem() || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    try {
      const subject = await this.likeness.register(subjectRequest(this.kind(), this.draft()));
      this.draft.set(EMPTY_SUBJECT_DRAFT);
      this.created.emit(subject);
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.busy.set(false);
    }
  }
}
