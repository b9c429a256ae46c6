import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Session } from '../../core/auth/session';

/** The landing page of a role the console has no page for yet (publishers: verification is on the API and CLI). */
@Component({
  selector: 'pv-welcome-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink],
  template: `
    <section class="card" aria-labelledby="welcome-heading" data-testid="welcome">
      <h1 id="welcome-heading">Nothing to do here yet</h1>
      <p>
        The console has no page for your role ({{ session.user()?.roles?.join(', ') || 'none' }}) yet. Publishers verify files with
        <code>POST /api/v1/verify</code> or <code>npx provenant verify FILE --server URL</code>.
      </p>
      <p>Your own likeness, and who may use it: <a routerLink="/likeness/me" data-testid="welcome-my-likeness">My likeness</a>.</p>
    </section>
  `,
})
export class WelcomePage {
  protected readonly session = inject(Session);
}
