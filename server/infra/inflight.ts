/**
 * Background work still running in this process: socket handlers (a disconnect's presence update, an answer's
 * follow-up close), question timers, sweeps and the host feed.
 * A graceful stop waits for it before it closes Redis, so no handler meets a closed client.
 */
export function createInflight() {
  const running = new Set<Promise<unknown>>();
  return {
    track<T>(work: Promise<T>): Promise<T> {
      running.add(work);
      const done = () => running.delete(work);
      work.then(done, done);
      return work;
    },
    /** Resolves once everything tracked so far (and anything it started meanwhile) has settled. */
    async settle(): Promise<void> {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
export type Inflight = ReturnType<typeof createInflight>;
