import './zodConfig';
import { createApp } from 'vue';
import { createPinia } from 'pinia';
import App from './App.vue';
import { i18n } from './i18n';
import { router } from './router';
import { reloadOnStaleChunk } from './reloadOnStaleChunk';
import { applySavedTextSize } from './composables/useTextSize';
import './style.css';

reloadOnStaleChunk();
// The member's A-/A+ choice applies to every page from the first paint, not only where the control is shown.
applySavedTextSize();

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
app.use(router);
app.mount('#app');
