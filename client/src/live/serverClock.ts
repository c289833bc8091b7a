import { ref } from 'vue';

/**
 * The server's clock as seen from here: deadlines are server epoch ms, phones' clocks drift by seconds.
 * `sync` takes a `serverNow` from the server; the offset is re-estimated on every message that carries one.
 */
export function createServerClock() {
  /** server time minus local time, in ms. */
  const offset = ref(0);
  return {
    offset,
    sync(serverNow: number) {
      offset.value = serverNow - Date.now();
    },
    now: () => Date.now() + offset.value,
  };
}

/** Seconds left until `closesAt` (server ms), never negative, rounded up so "0" shows only at the end. */
export function secondsLeft(closesAt: number, serverNow: number): number {
  return Math.max(0, Math.ceil((closesAt - serverNow) / 1000));
}
