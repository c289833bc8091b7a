import { onBeforeUnmount, ref } from 'vue';

/** A reactive "server now", ticking a few times a second for countdowns; stops with the component. */
export function useServerNow(now: () => number, everyMs = 200) {
  const current = ref(now());
  const timer = setInterval(() => (current.value = now()), everyMs);
  onBeforeUnmount(() => clearInterval(timer));
  return current;
}
