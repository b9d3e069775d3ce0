import { createRouter, createWebHistory } from 'vue-router';
import ImportPage from './pages/ImportPage.vue';

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
      path: '/audit',
      name: 'audit',
      component: () => import('./pages/AuditPage.vue'),
      meta: { title: 'Audit log' },
    },
    {
      path: '/sign-in',
      name: 'sign-in',
      component: () => import('./pages/SignInPage.vue'),
      meta: { title: 'Sign in' },
    },
    { path: '/:unknown(.*)*', name: 'not-found', component: () => import('./pages/NotFoundPage.vue') },
  ],
});

router.afterEach((to) => {
  const title = typeof to.meta.title === 'string' ? to.meta.title : 'Not found';
  document.title = `${title} · Catalog Importer`;
});
