import type { Routes } from '@angular/router';
import { requireArea } from '../../core/auth/auth.guard';

/** `/likeness/me` for everyone signed in; the registry itself only for the staff who read it (the API's GET /likeness/subjects roles). */
export const LIKENESS_ROUTES: Routes = [
  { path: 'me', title: 'My likeness · Provenant', loadComponent: () => import('./my-likeness-page').then((m) => m.MyLikenessPage) },
  { path: '', pathMatch: 'full', title: 'Likeness registry · Provenant', canMatch: [requireArea('likeness')], loadComponent: () => import('./registry-page').then((m) => m.RegistryPage) },
];
