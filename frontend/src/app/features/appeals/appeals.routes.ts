import type { Routes } from '@angular/router';

export const APPEAL_ROUTES: Routes = [{ path: '', title: 'Appeals · Provenant', loadComponent: () => import('./appeals-page').then((m) => m.AppealsPage) }];
