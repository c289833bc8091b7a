import { onBeforeUnmount, ref } from 'vue';

/** True while the viewport is phone-narrow (the same 720px break as style.css). */
export function useNarrow(query = '(max-width: 720px)') {
  const mq = window.matchMedia(query);
  const narrow = ref(mq.matches);
  const update = (e: MediaQueryListEvent) => {
    narrow.value = e.matches;
  };
  mq.addEventListener('change', update);
  onBeforeUnmount(() => mq.removeEventListener('change', update));
  return narrow;
}
