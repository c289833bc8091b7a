import type { Inflight } from '../infra/inflight';

/**
 * This process's timers for open questions. Deadlines live in Redis; a timer is only a reminder,
 * re-armed from the stored deadline by whichever process sees the game (after a restart too).
 */
export function createLiveTimers(now: () => number, inflight: Inflight) {
  const timers = new Map<string, { index: number; handle: NodeJS.Timeout }>();
  return {
    /** Arms (once per game and question) a call of `fire` at `closesAt`, or at once when it has passed. */
    arm(gameId: string, index: number, closesAt: number, fire: () => Promise<void>): void {
      const current = timers.get(gameId);
      if (current?.index === index) return;
      if (current) clearTimeout(current.handle);
      const handle = setTimeout(() => {
        timers.delete(gameId);
        void inflight.track(fire());
      }, Math.max(0, closesAt - now()));
      handle.unref?.();
      timers.set(gameId, { index, handle });
    },
    clear(gameId: string): void {
      const current = timers.get(gameId);
      if (current) clearTimeout(current.handle);
      timers.delete(gameId);
    },
    clearAll(): void {
      for (const t of timers.values()) clearTimeout(t.handle);
      timers.clear();
    },
  };
}

export type LiveTimers = ReturnType<typeof createLiveTimers>;
