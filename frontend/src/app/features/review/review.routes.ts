import type { Routes } from '@angular/router';

export const REVIEW_ROUTES: Routes = [{ path: '', title: 'Review · Provenant', loadComponent: () => import('./workbench-page').then((m) => m.WorkbenchPage) }];
