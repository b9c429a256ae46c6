import type { Routes } from '@angular/router';

export const CLIP_ROUTES: Routes = [
  { path: '', title: 'Clips · Provenant', loadComponent: () => import('./clip-list-page').then((m) => m.ClipListPage) },
  { path: ':id', title: 'Clip · Provenant', loadComponent: () => import('./clip-detail-page').then((m) => m.ClipDetailPage) },
];
