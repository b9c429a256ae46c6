import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from './auth/auth.service';
import { Session } from './auth/session';

@Component({
  selector: 'pv-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <header class="topbar">
      <a class="brand" routerLink="/clips">Provenant <span>review console</span></a>
      @if (session.signedIn()) {
        <nav aria-label="Main">
          <a routerLink="/clips" routerLinkActive="active" ariaCurrentWhenActive="page" data-testid="nav-clips">Clips</a>
        </nav>
        <div class="user">
          @if (session.user(); as user) {
            <span data-testid="current-user">{{ user.email }}</span>
            <span class="roles" data-testid="current-roles">{{ user.roles.join(', ') }}</span>
          }
          <button type="button" class="secondary" data-testid="logout" (click)="auth.logout()">Sign out</button>
        </div>
      }
    </header>
    <main>
      <router-outlet />
    </main>
  `,
})
export class App {
  protected readonly session = inject(Session);
  protected readonly auth = inject(AuthService);
}
