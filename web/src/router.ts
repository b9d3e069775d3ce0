import type { Role } from '@catalog/domain';
import { createRouter, createWebHistory } from 'vue-router';
import ImportPage from './pages/ImportPage.vue';

declare module 'vue-router' {
  interface RouteMeta {
    title?: string;
    /** Open without signing in. */
    public?: boolean;
    /** The lowest role that may open the page; any signed-in user when unset. */
    role?: Role;
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', redirect: '/import' },
    { path: '/import', name: 'import', component: ImportPage, meta: { title: 'Import' } },
    {
      path: '/products',
      name: 'products',
      component: () => import('./pages/ProductsPage.vue'),
      meta: { title: 'Products' },
    },
    {
      path: '/webhooks',
      name: 'webhooks',
      component: () => import('./pages/WebhooksPage.vue'),
      meta: { title: 'Webhooks' },
    },
    {
      path: '/users',
      name: 'users',
      component: () => import('./pages/UsersPage.vue'),
      meta: { title: 'Users', role: 'admin' },
    },
    {
      path: '/api-keys',
      name: 'api-keys',
      component: () => import('./pages/ApiKeysPage.vue'),
      meta: { title: 'API keys', role: 'admin' },
    },
    {
      path: '/account',
      name: 'account',
      component: () => import('./pages/AccountPage.vue'),
      meta: { title: 'Your account' },
    },
    {
      path: '/audit',
      name: 'audit',
      component: () => import('./pages/AuditPage.vue'),
      // No role here: the page itself tells a non-admin the log is for admins (only admins see the link).
      meta: { title: 'Audit log' },
    },
    {
      path: '/sign-in',
      name: 'sign-in',
      component: () => import('./pages/SignInPage.vue'),
      meta: { title: 'Sign in', public: true },
    },
    { path: '/:unknown(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
});

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : 'Not found';
  document.title = `${title} · Catalog Importer`;
});
