import { onBeforeUnmount, ref } from 'vue';

/** The Fullscreen API for a projector console: whether it is available, whether on, and a toggle. */
export function useFullscreen() {
  const supported = typeof document !== 'undefined' && document.fullscreenEnabled === true;
  const active = ref(typeof document !== 'undefined' && document.fullscreenElement !== null);
  const sync = () => (active.value = document.fullscreenElement !== null);
  document.addEventListener('fullscreenchange', sync);
  onBeforeUnmount(() => document.removeEventListener('fullscreenchange', sync));

  async function toggle() {
    // Refused (no user gesture, a policy): the console simply stays as it is.
    if (document.fullscreenElement) await document.exitFullscreen().catch(() => undefined);
    else await document.documentElement.requestFullscreen().catch(() => undefined);
    sync();
  }
  return { supported, active, toggle };
}
