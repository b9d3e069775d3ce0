import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { apiClientKey, createApiClient } from './api/client';
import { router } from './router';
import { useToastStore } from './stores/toasts';
import './styles/base.css';
import './styles/controls.css';
import './styles/content.css';

const pinia = createPinia();
const app = createApp(App).use(pinia).use(router);

const toasts = useToastStore(pinia);
app.provide(apiClientKey, createApiClient({ onError: (error) => toasts.error(error.message) }));

app.mount('#app');
