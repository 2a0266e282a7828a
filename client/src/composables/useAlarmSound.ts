// Alarm sound: browsers block audio until the user interacts, so the officer allows it with one
// click (remembered for this tab in sessionStorage); each new alarm then plays a short generated
// beep (an oscillator — no audio file). After a reload the choice is kept, and the first click or
// key anywhere lets the browser start the audio again.
import { useEventListener } from '@vueuse/core';
import { onBeforeUnmount, onMounted, ref } from 'vue';

const KEY = 'onescreen.sound';
const MIN_GAP_MS = 1_500; // a burst of alarms beeps once

function remember(on: boolean) {
  try {
    sessionStorage.setItem(KEY, on ? '1' : '0');
  } catch {
    // storage disabled: the choice lasts for this page only
  }
}
function remembered(): boolean {
  try {
    return sessionStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export function useAlarmSound() {
  const enabled = ref(false);
  /** allowed, but the browser waits for a gesture before it plays */
  const blocked = ref(false);
  /** beeps played (shown for tests) */
  const beeps = ref(0);
  let ctx: AudioContext | null = null;
  let lastBeep = -Infinity;

  // While blocked, the first click or key anywhere lets the browser start the audio.
  useEventListener(() => (blocked.value ? window : null), ['pointerdown', 'keydown'], () => void resume(), { capture: true });

  async function resume() {
    if (!ctx) return;
    try {
      await ctx.resume();
    } catch {
      // still not allowed
    }
    blocked.value = ctx.state !== 'running';
  }

  function start() {
    try {
      ctx ??= new AudioContext();
    } catch {
      return; // no audio on this machine
    }
    if (ctx.state !== 'running') {
      blocked.value = true;
      void resume();
    }
  }

  function tone(at: number, freq: number, length: number) {
    if (!ctx) return;
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.35, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + length);
    osc.connect(gain).connect(ctx.destination);
    osc.start(at);
    osc.stop(at + length + 0.02);
  }

  /** Urgent: two high tones; overdue: one lower tone. */
  function beep(kind: 'urgent' | 'overdue') {
    if (!enabled.value || !ctx || ctx.state !== 'running') return;
    const now = performance.now();
    if (now - lastBeep < MIN_GAP_MS) return;
    lastBeep = now;
    beeps.value++;
    const t0 = ctx.currentTime + 0.01;
    if (kind === 'urgent') {
      tone(t0, 988, 0.16);
      tone(t0 + 0.22, 988, 0.16);
    } else tone(t0, 660, 0.25);
  }

  /** The user's click: allowed from now on (and a beep to confirm). */
  async function enable() {
    enabled.value = true;
    remember(true);
    start();
    await resume();
    lastBeep = -Infinity;
    beep('overdue');
    lastBeep = -Infinity; // the confirmation must not swallow an alarm arriving right after it
  }

  function disable() {
    enabled.value = false;
    blocked.value = false;
    remember(false);
    void ctx?.close().catch(() => undefined);
    ctx = null;
  }

  onMounted(() => {
    if (!remembered()) return;
    enabled.value = true;
    start();
  });
  onBeforeUnmount(() => {
    void ctx?.close().catch(() => undefined);
    ctx = null;
  });

  return { enabled, blocked, beeps, enable, disable, beep };
}
