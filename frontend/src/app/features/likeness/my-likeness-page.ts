import { ChangeDetectionStrategy, Component, computed, inject, resource, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ROLES_SEEING_ALL_CLIPS, type LikenessSubjectDto } from '@provenant/shared';
import { mayUse } from '../../core/access';
import { ApiError } from '../../core/api/api-error';
import { Session } from '../../core/auth/session';
import { StateBadge } from '../../shared/ui/state-badge';
import { ConfirmErase } from './confirm-erase';
import { FaceUpload } from './face-upload';
import { LikenessApi } from './likeness-api';
import { grantRows, templateText } from './likeness-registry-view';
import { appearanceRows, EMPTY_GRANT_DRAFT, grantDraftProblem, grantRequest, type GrantDraft } from './my-likeness-view';
import { SubjectForm } from './subject-form';

/**
 * Your own likeness, for everyone signed in: enrol once (names, then face
 * photos), decide who may use it (one creator or everyone, until a date,
 * revocable), see every clip it was found in, erase the enrolment.
 */
@Component({
  selector: 'pv-my-likeness-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [ConfirmErase, FaceUpload, RouterLink, StateBadge, SubjectForm],
  template: `
    <div class="page-head">
      <h1>My likeness</h1>
    </div>
    @if (error(); as message) {
      <p class="error" role="alert" data-testid="my-likeness-error">{{ message }}</p>
    }
    @if (notice(); as message) {
      <p class="notice" role="status" data-testid="my-likeness-notice">{{ message }}</p>
    }

    @if (mine.error(); as failure) {
      <p class="error" role="alert" data-testid="my-likeness-load-error">{{ describe(failure) }}</p>
    } @else if (!mine.hasValue()) {
      <p class="hint">Loading…</p>
    } @else if (mine.value(); as me) {
      <section class="card" aria-labelledby="enrolment-heading" data-testid="my-enrolment" [attr.data-subject-id]="me.id">
        <h2 id="enrolment-heading">Your enrolment</h2>
        <dl class="facts">
          <dt>Display name</dt>
          <dd data-testid="my-display-name">{{ me.displayName }}</dd>
          <dt>Aliases</dt>
          <dd data-testid="my-aliases">{{ me.aliases.length ? me.aliases.join(', ') : '—' }}</dd>
          <dt>Distinctive</dt>
          <dd>{{ me.distinctive ? 'yes: a one-word name matches on its own' : 'no' }}</dd>
          <dt>Face templates</dt>
          <dd><span data-testid="my-templates">{{ me.faceTemplates }}</span><span class="hint"> ({{ templateText(me.faceTemplates) }}{{ me.faceTemplates ? '' : ': only your names are matched' }})</span></dd>
        </dl>
        <pv-face-upload [subjectId]="me.id" [label]="me.faceTemplates ? 'Add another face photo' : 'Add a face photo'" (enrolled)="changed('Face added.')" />
      </section>

      <section class="card" aria-labelledby="grants-heading">
        <h2 id="grants-heading">Who may use your likeness</h2>
        <p class="hint">Without a grant, a clip that shows or names you is blocked for everyone but you. A revocation applies to clips checked after it.</p>
        @if (grants().length) {
          <table data-testid="my-grants">
            <thead>
              <tr>
                <th scope="col">Allowed</th>
                <th scope="col">Status</th>
                <th scope="col">Given</th>
                <th scope="col"><span class="visually-hidden">Revoke</span></th>
              </tr>
            </thead>
            <tbody>
              @for (grant of grants(); track grant.id) {
                <tr data-testid="my-grant" [attr.data-grant-id]="grant.id" [attr.data-state]="grant.state">
                  <td>{{ grant.who }}</td>
                  <td data-testid="my-grant-status" class="grant-{{ grant.state }}">{{ grant.status }}</td>
                  <td>{{ grant.given }}</td>
                  <td>
                    @if (grant.state === 'active') {
                      <button type="button" class="secondary" data-testid="revoke-grant" [disabled]="revoking() === grant.id" (click)="revoke(me, grant.id)">{{ revoking() === grant.id ? 'Revoking…' : 'Revoke' }}</button>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        } @else {
          <p class="empty" data-testid="no-grants">You have not allowed anyone.</p>
        }
        <form data-testid="grant-form" (submit)="$event.preventDefault(); give(me)">
          <fieldset class="choice">
            <legend>Allow</legend>
            <label class="check-label"><input type="radio" name="to" value="creator" data-testid="grant-to-creator" [checked]="draft().to === 'creator'" (change)="edit({ to: 'creator' })" /> one creator</label>
            <label class="check-label"><input type="radio" name="to" value="everyone" data-testid="grant-to-everyone" [checked]="draft().to === 'everyone'" (change)="edit({ to: 'everyone' })" /> every creator</label>
          </fieldset>
          @if (draft().to === 'creator') {
            <label for="grant-creator">Creator’s user id</label>
            <input type="text" id="grant-creator" name="creatorId" data-testid="grant-creator" autocomplete="off" spellcheck="false" [value]="draft().creatorId" (input)="edit({ creatorId: $any($event.target).value })" />
          }
          <label for="grant-until">Until (optional; to the end of that day)</label>
          <input type="date" id="grant-until" name="until" data-testid="grant-until" [value]="draft().until" (input)="edit({ until: $any($event.target).value })" />
          @if (grantError(); as message) {
            <p class="error" role="alert" data-testid="grant-error">{{ message }}</p>
          }
          <p class="hint" aria-live="polite">{{ grantProblem() ?? 'Ready to send.' }}</p>
          <button type="submit" data-testid="grant-submit" [disabled]="grantProblem() !== null || busy()">{{ busy() ? 'Sending…' : 'Give grant' }}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="appearances-heading">
        <h2 id="appearances-heading">Where your likeness was found</h2>
        @if (appearances.error(); as failure) {
          <p class="error" role="alert" data-testid="appearances-error">{{ describe(failure) }}</p>
        } @else if (appearanceList().length) {
          <table data-testid="appearances">
            <thead>
              <tr>
                <th scope="col">Clip</th>
                <th scope="col">State</th>
                <th scope="col">Found</th>
                <th scope="col">Outcome</th>
                <th scope="col">When</th>
              </tr>
            </thead>
            <tbody>
              @for (row of appearanceList(); track row.clipId + row.found + row.at) {
                <tr data-testid="appearance" [attr.data-clip-id]="row.clipId" [attr.data-outcome]="row.outcome">
                  <td>
                    @if (row.link) {
                      <a [routerLink]="['/clips', row.clipId]"><code>{{ row.shortId }}</code></a>
                    } @else {
                      <code>{{ row.shortId }}</code>
                    }
                  </td>
                  <td><pv-state-badge [state]="row.state" /></td>
                  <td>{{ row.found }}</td>
                  <td><span class="verdict verdict-{{ row.outcome }}">{{ row.outcomeText }}</span></td>
                  <td>{{ row.atText }}</td>
                </tr>
              }
            </tbody>
          </table>
        } @else if (appearances.hasValue()) {
          <p class="empty" data-testid="no-appearances">No clip has named or shown you yet.</p>
        } @else {
          <p class="hint">Loading…</p>
        }
      </section>

      <section class="card" aria-labelledby="erase-heading">
        <h2 id="erase-heading">Erase my enrolment</h2>
        <p class="hint">Your names, face templates and grants are deleted; you may enrol again afterwards.</p>
        <pv-confirm-erase label="Erase my enrolment…" [consequence]="'Erase your enrolment? ' + templateText(me.faceTemplates) + ', your names and ' + me.grants.length + ' grant(s) are deleted.'" [busy]="erasing()" (confirmed)="erase(me)" />
      </section>
    } @else {
      <section class="card" aria-labelledby="enrol-heading" data-testid="enrol">
        <h2 id="enrol-heading">Enrol your likeness</h2>
        <p>
          Enrolled, your names (and, once you add a photo, your face) are looked for in every clip. A clip of you is then made only by you or by a creator you allow, until you
          revoke it. You enrol once; you can erase the enrolment at any time.
        </p>
        <pv-subject-form kind="consenting" submitLabel="Enrol my likeness" (created)="changed('Enrolled. Add a face photo so your face is recognised too.')" />
      </section>
    }
  `,
})
export class MyLikenessPage {
  private readonly likeness = inject(LikenessApi);
  private readonly session = inject(Session);
  protected readonly templateText = templateText;
  protected readonly describe = ApiError.describe;

  protected readonly mine = resource({ loader: () => this.likeness.mine() });
  private readonly enrolledId = computed(() => (this.mine.hasValue() ? (this.mine.value()?.id ?? null) : null));
  protected readonly appearances = resource({
    params: () => this.enrolledId() ?? undefined,
    loader: () => this.likeness.appearances(),
  });
  protected readonly grants = computed(() => (this.mine.hasValue() ? grantRows(this.mine.value()?.grants ?? []) : []));
  protected readonly appearanceList = computed(() => {
    const roles = this.session.user()?.roles ?? [];
    const access = { seesAllClips: roles.some((r) => ROLES_SEEING_ALL_CLIPS.includes(r)), readsOwnClips: mayUse(roles, 'clips') };
    return this.appearances.hasValue() ? appearanceRows(this.appearances.value(), access) : [];
  });

  protected readonly draft = signal<GrantDraft>(EMPTY_GRANT_DRAFT);
  protected readonly grantProblem = computed(() => grantDraftProblem(this.draft()));
  protected readonly busy = signal(false);
  protected readonly grantError = signal<string | null>(null);
  protected readonly revoking = signal<string | null>(null);
  protected readonly erasing = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly notice = signal<string | null>(null);

  protected edit(change: Partial<GrantDraft>): void {
    this.draft.update((d) => ({ ...d, ...change }));
  }

  protected changed(message: string): void {
    this.error.set(null);
    this.notice.set(message);
    this.mine.reload();
    this.appearances.reload();
  }

  protected async give(me: LikenessSubjectDto): Promise<void> {
    if (this.grantProblem() || this.busy()) return;
    this.busy.set(true);
    this.grantError.set(null);
    try {
      const grant = await this.likeness.grant(me.id, grantRequest(this.draft()));
      this.draft.set(EMPTY_GRANT_DRAFT);
      this.changed(grant.everyone ? 'Every creator may now use your likeness.' : `Creator ${grant.creatorId} may now use your likeness.`);
    } catch (error) {
      this.grantError.set(ApiError.describe(error));
    } finally {
      this.busy.set(false);
    }
  }

  protected async revoke(me: LikenessSubjectDto, grantId: string): Promise<void> {
    this.revoking.set(grantId);
    this.error.set(null);
    try {
      await this.likeness.revoke(me.id, grantId);
      this.changed('Grant revoked.');
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.revoking.set(null);
    }
  }

  protected async erase(me: LikenessSubjectDto): Promise<void> {
    this.erasing.set(true);
    this.error.set(null);
    try {
      await this.likeness.erase(me.id);
      this.changed('Your enrolment was erased.');
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.erasing.set(false);
    }
  }
}
