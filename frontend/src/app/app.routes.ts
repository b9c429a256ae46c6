import type { Routes } from '@angular/router';
import { requireArea, requireNoSession, requireSession, toLanding } from './core/auth/auth.guard';

/** Each area is loaded only when a role that may use it opens it. */
export const routes: Routes = [
  { path: 'login', title: 'Sign in · Provenant', canActivate: [requireNoSession], loadComponent: () => import('./features/login/login-page').then((m) => m.LoginPage) },
  { path: 'review', canMatch: [requireArea('review')], canActivate: [requireSession], loadChildren: () => import('./features/review/review.routes').then((m) => m.REVIEW_ROUTES) },
  { path: 'clips', canMatch: [requireArea('clips')], canActivate: [requireSession], loadChildren: () => import('./features/clips/clips.routes').then((m) => m.CLIP_ROUTES) },
  { path: 'appeals', canMatch: [requireArea('appeals')], canActivate: [requireSession], loadChildren: () => import('./features/appeals/appeals.routes').then((m) => m.APPEAL_ROUTES) },
  { path: 'likeness', canMatch: [requireArea('myLikeness')], canActivate: [requireSession], loadChildren: () => import('./features/likeness/likeness.routes').then((m) => m.LIKENESS_ROUTES) },
  { path: 'welcome', title: 'Provenant', canActivate: [requireSession], loadComponent: () => import('./features/welcome/welcome-page').then((m) => m.WelcomePage) },
  { path: '**', canActivate: [toLanding], children: [] },
];
