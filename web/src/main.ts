import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { apiClientKey, createApiClient } from './api/client';
import { router } from './router';
import { installSessionGuard } from './sessionGuard';
import { useSessionStore } from './stores/session';
import { useToastStore } from './stores/toasts';
import './styles/base.css';
import './styles/controls.css';
import './styles/content.css';
import './styles/forms.css';

const pinia = createPinia();
const app = createApp(App).use(pinia);

const toasts = useToastStore(pinia);
const session = useSessionStore(pinia);
const api = createApiClient({
  onError: (error) => toasts.error(error.message),
  onUnauthenticated: () => session.ended(),
});
app.provide(apiClientKey, api);
// Before the router is installed: its first navigation already goes through the guard.
installSessionGuard(router, { api, session, toasts });
app.use(router);

app.mount('#app');
