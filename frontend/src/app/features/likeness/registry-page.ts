import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ApiError } from '../../core/api/api-error';
import { Session } from '../../core/auth/session';
import { ConfirmErase } from './confirm-erase';
import { FACE_PHOTO_RULES, FaceUpload } from './face-upload';
import { LikenessApi } from './likeness-api';
import { registryActions, registryRows, type RegistryRow } from './likeness-registry-view';
import { SubjectForm } from './subject-form';

/**
 * The likeness registry (admin and compliance keep it; reviewers and senior
 * reviewers read it, since they judge its matches): every subject with its
 * names, face templates and grants; entering a protected subject, adding its
 * face photos, erasing a subject.
 */
@Component({
  selector: 'pv-registry-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ConfirmErase, FaceUpload, RouterLink, SubjectForm],
  template: `
    <div class="page-head">
      <h1>Likeness registry</h1>
      <a routerLink="/likeness/me">My likeness</a>
    </div>
    <p class="hint">
      Protected subjects (public figures, people who asked not to be depicted) are never generated. Consenting subjects enrolled themselves and decide who may use their likeness.
      Names are matched in prompts, face templates in clips.
    </p>
    @if (error(); as message) {
      <p class="error" role="alert" data-testid="registry-error">{{ message }}</p>
    }
    @if (notice(); as message) {
      <p class="notice" role="status" data-testid="registry-notice">{{ message }}</p>
    }

    @if (actions().canEnter) {
      <section class="card" aria-labelledby="enter-heading">
        <h2 id="enter-heading">Enter a protected subject</h2>
        <pv-subject-form kind="protected" submitLabel="Enter protected subject" (created)="entered($event.displayName)" />
      </section>
    }

    <section class="card" aria-labelledby="subjects-heading">
      <h2 id="subjects-heading">Subjects</h2>
      @if (actions().canAddFace) {
        <p class="hint">Face photos of protected subjects. {{ faceRules }} A consenting person adds their own, on My likeness.</p>
      }
      @if (subjects.error(); as failure) {
        <p class="error" role="alert" data-testid="subjects-error">{{ describe(failure) }}</p>
      } @else if (subjects.hasValue()) {
        @if (rows().length) {
          <table data-testid="subjects">
            <thead>
              <tr>
                <th scope="col">Kind</th>
                <th scope="col">Names</th>
                <th scope="col">Faces</th>
                <th scope="col">Grants</th>
                <th scope="col">Entered</th>
                @if (actions().canAddFace || actions().canErase) {
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                }
              </tr>
            </thead>
            <tbody>
              @for (row of rows(); track row.id) {
                <tr data-testid="subject-row" [attr.data-subject-id]="row.id" [attr.data-kind]="row.kind">
                  <td><span class="tag" [class.tag-flagged]="row.kind === 'protected'">{{ row.kind }}</span><br /><small class="hint">{{ row.kindText }}</small></td>
                  <td>
                    <strong data-testid="subject-display-name">{{ row.displayName }}</strong>
                    @if (row.distinctive) {
                      <span class="tag">distinctive</span>
                    }
                    <br /><small>aliases: <span data-testid="subject-aliases">{{ row.aliases }}</span></small>
                    @if (row.account) {
                      <br /><small class="hint">account <code>{{ row.account }}</code></small>
                    }
                  </td>
                  <td data-testid="subject-templates" [attr.data-count]="row.templates">{{ row.templatesText }}</td>
                  <td>
                    @if (row.grants.length) {
                      <ul class="grants">
                        @for (grant of row.grants; track grant.id) {
                          <li data-testid="subject-grant" [attr.data-state]="grant.state" class="grant-{{ grant.state }}">{{ grant.who }}: {{ grant.status }}</li>
                        }
                      </ul>
                    } @else {
                      <span class="hint">{{ row.kind === 'protected' ? 'none: never allowed' : 'none given' }}</span>
                    }
                  </td>
                  <td>{{ row.entered }}</td>
                  @if (actions().canAddFace || actions().canErase) {
                    <td>
                      @if (row.canAddFace) {
                        <pv-face-upload [subjectId]="row.id" label="Add a face photo" [compact]="true" (enrolled)="changed('Face added to ' + row.displayName + '.')" />
                      }
                      @if (row.canErase) {
                        <pv-confirm-erase [consequence]="consequence(row)" [busy]="erasing() === row.id" (confirmed)="erase(row)" />
                      }
                    </td>
                  }
                </tr>
              }
            </tbody>
          </table>
        } @else {
          <p class="empty" data-testid="no-subjects">The registry is empty.</p>
        }
      } @else {
        <p class="hint">Loading the registry…</p>
      }
    </section>
  `,
})
export class RegistryPage {
  private readonly likeness = inject(LikenessApi);
  private readonly session = inject(Session);
  protected readonly actions = computed(() => registryActions(this.session.user()?.roles ?? []));
  protected readonly subjects = resource({ loader: () => this.likeness.subjects() });
  protected readonly rows = computed(() => (this.subjects.hasValue() ? registryRows(this.subjects.value(), this.actions()) : []));
  protected readonly erasing = signal<string | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly describe = ApiError.describe;
  protected readonly faceRules = FACE_PHOTO_RULES;

  protected consequence(row: RegistryRow): string {
    return `Erase ${row.displayName}? Its names, ${row.templatesText} and every grant are deleted; clip results keep only an id.`;
  }

  protected entered(name: string): void {
    this.changed(`${name} entered as a protected subject.`);
  }

  protected changed(message: string): void {
    this.error.set(null);
    this.notice.set(message);
    this.subjects.reload();
  }

  protected async erase(row: RegistryRow): Promise<void> {
    this.erasing.set(row.id);
    this.error.set(null);
    try {
      await this.likeness.erase(row.id);
      this.changed(`${row.displayName} erased.`);
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.erasing.set(null);
    }
  }
}
