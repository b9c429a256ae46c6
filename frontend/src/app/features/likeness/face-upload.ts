import { ChangeDetectionStrategy, Component, ElementRef, computed, inject, input, output, signal, viewChild } from '@angular/core';
import type { LikenessEnrolmentDto } from '@provenant/shared';
import { ApiError } from '../../core/api/api-error';
import { LikenessApi } from './likeness-api';
import { faceFileProblem, templateText } from './likeness-registry-view';

export const FACE_PHOTO_RULES = 'A JPEG or PNG of exactly one face, at least 80 px wide, turned towards the camera. Only a sealed template is kept, not the photo.';

/**
 * Adds one face template to a subject from a JPEG or PNG of exactly one face.
 * The server finds the face (none, several, too small: a 400 naming the
 * problem, shown here as it came); the image itself is not kept.
 */
@Component({
  selector: 'pv-face-upload',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <form class="face-upload" data-testid="face-upload" (submit)="$event.preventDefault(); send()">
      <label [for]="inputId()">{{ label() }}</label>
      <input #file type="file" accept="image/jpeg,image/png" [id]="inputId()" name="file" data-testid="face-file" (change)="pick($any($event.target).files?.[0] ?? null)" />
      @if (!compact()) {
        <p class="hint">{{ rules }}</p>
      }
      @if (error(); as message) {
        <p class="error" role="alert" data-testid="face-error">{{ message }}</p>
      }
      @if (done(); as message) {
        <p class="notice" role="status" data-testid="face-done">{{ message }}</p>
      }
      <button type="submit" class="secondary" data-testid="face-submit" [disabled]="problem() !== null || busy()">{{ busy() ? 'Finding the face…' : 'Add face' }}</button>
    </form>
  `,
})
export class FaceUpload {
  readonly subjectId = input.required<string>();
  readonly label = input('Add a face photo');
  /** In a table row: the rules are said once above the table instead. */
  readonly compact = input(false);
  protected readonly rules = FACE_PHOTO_RULES;
  /** A template was added: the page reloads the subject. */
  readonly enrolled = output<LikenessEnrolmentDto>();

  private readonly likeness = inject(LikenessApi);
  private readonly fileInput = viewChild.required<ElementRef<HTMLInputElement>>('file');
  protected readonly inputId = computed(() => `face-file-${this.subjectId()}`);
  private readonly file = signal<File | null>(null);
  protected readonly problem = computed(() => faceFileProblem(this.file()));
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly done = signal<string | null>(null);

  protected pick(file: File | null): void {
    this.file.set(file);
    this.done.set(null);
    this.error.set(file ? faceFileProblem(file) : null);
  }

  protected async send(): Promise<void> {
    const file = this.file();
    if (!file || this.problem() || this.busy()) return;
    this.busy.set(true);
    this.error.set(null);
    this.done.set(null);
    try {
      const result = await this.likeness.addFace(this.subjectId(), file);
      this.done.set(`Face added: ${templateText(result.templates)} now (${result.modelVersion}).`);
      this.file.set(null);
      this.fileInput().nativeElement.value = '';
      this.enrolled.emit(result);
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.busy.set(false);
    }
  }
}
