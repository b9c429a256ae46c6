import type { Routes } from '@angular/router';
import { requireNoSession, requireSession } from './auth/auth.guard';
import { ClipDetailPage } from './clips/clip-detail-page';
import { ClipListPage } from './clips/clip-list-page';
import { LoginPage } from './login/login-page';

export const routes: Routes = [
  { path: 'login', title: 'Sign in · Provenant', canActivate: [requireNoSession], component: LoginPage },
  { path: 'clips', title: 'Clips · Provenant', canActivate: [requireSession], component: ClipListPage },
  { path: 'clips/:id', title: 'Clip · Provenant', canActivate: [requireSession], component: ClipDetailPage },
  { path: '', pathMatch: 'full', redirectTo: 'clips' },
  { path: '**', redirectTo: 'clips' },
];
