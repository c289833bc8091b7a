import type { PresenceScope, PresenceStore } from '../store/presenceStore';

/** A process whose heartbeat is older than this is taken for dead; with the sweep's period this stays under a minute. */
export const PRESENCE_WINDOW_MS = 45_000;

/**
 * This process's share of presence, per scope (a live game, later a study session): which members have sockets
 * here, a heartbeat that keeps them counting, and the reaping of processes that died without saying so.
 */
export function createPresence(store: PresenceStore, processId: string, windowMs = PRESENCE_WINDOW_MS) {
  const local = new Map<string, { scope: PresenceScope; members: Map<string, number> }>();

  function note(scopeId: string, scope: PresenceScope, member: string, delta: 1 | -1) {
    const entry = local.get(scopeId) ?? { scope, members: new Map<string, number>() };
    const n = (entry.members.get(member) ?? 0) + delta;
    if (n > 0) entry.members.set(member, n);
    else entry.members.delete(member);
    if (entry.members.size > 0) local.set(scopeId, entry);
    else local.delete(scopeId);
  }

  return {
    processId,

    /** A socket of `member` arrived here; returns how many members are present in the scope. */
    async enter(scopeId: string, scope: PresenceScope, member: string): Promise<number> {
      note(scopeId, scope, member, 1);
      return store.join(scope, member, processId);
    },

    async leave(scopeId: string, scope: PresenceScope, member: string): Promise<number> {
      note(scopeId, scope, member, -1);
      return store.leave(scope, member, processId);
    },

    /** Renews this process's heartbeat in every scope it has sockets in; re-registers where it had been reaped. */
    async beat(): Promise<void> {
      for (const { scope, members } of [...local.values()]) {
        if (await store.beat(scope, processId)) continue;
        for (const [member, n] of members) for (let i = 0; i < n; i++) await store.join(scope, member, processId);
      }
    },

    /** Takes back the counts of dead processes in a scope; returns how many there were. */
    async reap(scope: PresenceScope): Promise<number> {
      const stale = (await store.staleProcesses(scope, windowMs)).filter((p) => p !== processId);
      return store.reap(scope, stale, windowMs);
    },
  };
}

export type Presence = ReturnType<typeof createPresence>;
