import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { navigationFor } from './core/access';
import { AuthService } from './core/auth/auth.service';
import { Session } from './core/auth/session';

@Component({
  selector: 'pv-root',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, RouterLinkActive, RouterOutlet],
  template: `
    <header class="topbar">
      <a class="brand" routerLink="/">Provenant <span>review console</span></a>
      @if (session.signedIn()) {
        <nav aria-label="Main">
          @for (item of navigation(); track item.path) {
            <a [routerLink]="item.path" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: item.exact ?? false }" ariaCurrentWhenActive="page" [attr.data-testid]="item.testId">{{ item.label }}</a>
          }
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
  protected readonly navigation = computed(() => navigationFor(this.session.user()?.roles ?? []));
}
