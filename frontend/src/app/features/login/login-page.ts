import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { Router } from '@angular/router';
import { ApiError } from '../../core/api/api-error';
import { landingFor } from '../../core/access';
import { AuthService } from '../../core/auth/auth.service';
import { Session } from '../../core/auth/session';

@Component({
  selector: 'pv-login-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [FormsModule],
  template: `
    <section class="card login" aria-labelledby="login-heading">
      <h1 id="login-heading">Sign in</h1>
      <form (ngSubmit)="signIn()">
        <label for="email">Email</label>
        <input id="email" name="email" type="email" autocomplete="username" data-testid="login-email" [(ngModel)]="email" />
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          data-testid="login-password"
          [(ngModel)]="password"
        />
        @if (error(); as message) {
          <p class="error" role="alert" data-testid="login-error">{{ message }}</p>
        }
        <button type="submit" data-testid="login-submit" [disabled]="busy()">{{ busy() ? 'Signing in…' : 'Sign in' }}</button>
      </form>
    </section>
  `,
})
export class LoginPage {
  /** Where the guard sent us from; only same-app paths are honoured. */
  readonly returnUrl = input<string>();

  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly session = inject(Session);

  protected readonly email = signal('');
  protected readonly password = signal('');
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);

  protected async signIn(): Promise<void> {
    const email = this.email().trim();
    const password = this.password();
    if (!email || !password) {
      this.error.set('Enter your email and password.');
      return;
    }
    this.busy.set(true);
    this.error.set(null);
    try {
      await this.auth.login({ email, password });
      await this.router.navigateByUrl(this.safeReturnUrl());
    } catch (error) {
      this.error.set(ApiError.describe(error));
    } finally {
      this.busy.set(false);
    }
  }

  private safeReturnUrl(): string {
    const url = this.returnUrl();
    // "//host" would leave the app; anything not starting with one slash is ignored.
    return url && url.startsWith('/') && !url.startsWith('//') && !url.startsWith('/login') ? url : landingFor(this.session.user()?.roles ?? []);
  }
}
