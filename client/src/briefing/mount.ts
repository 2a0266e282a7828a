// Mounts the printable briefing (loaded as its own chunk by main.ts).
import { createApp } from 'vue';
import BriefingApp from './BriefingApp.vue';

export function mountBriefing(selector: string, token: string | null): void {
  createApp(BriefingApp, { token }).mount(selector);
}
