// Entry: URL parameters and token first (the token leaves the address bar at once), then the app —
// the live screen, or the printable briefing (?view=briefing).
import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { takeToken } from './boot';
import { setLang } from './i18n';
import { parseScreenParams } from './params';
import { useScreenStore } from './stores/screen';
import './styles.css';

const params = parseScreenParams(location.search);
setLang(params.lang);
const token = takeToken(params.token, window.sessionStorage, location, history);

if (params.view === 'briefing') {
  // The printable briefing: its own small app (and chunk), no stream.
  void import('./briefing/mount').then((m) => m.mountBriefing('#app', token));
} else {
  const pinia = createPinia();
  const app = createApp(App, { params, token });
  app.use(pinia);

  const screen = useScreenStore(pinia);
  screen.rotateSec = params.rotateSec;
  screen.layout = params.layout;
  screen.heatmap = params.heatmap;
  if (params.topic) screen.choose(params.topic);

  app.mount('#app');
}
