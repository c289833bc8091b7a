import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Ack, AckCallback } from '../../shared/events';
import type { User } from '../../shared/schemas/users';
import { createCommands, type CommandSocketData } from '../../server/realtime/command';
import { createInflight } from '../../server/infra/inflight';
import { logger } from '../helpers/testApp';

/** A namespace contract of two commands, as a `ClientToServerEvents` would declare them. */
interface Demo {
  'demo:echo': (payload: { n: number }, ack: AckCallback<{ n: number }>) => void;
  'demo:boom': (payload: { n: number }, ack: AckCallback) => void;
}

const user = (over: Partial<User> = {}): User => ({
  id: 'u1', username: 'sec', displayName: '书记', role: 'secretary', branchId: 'b1', disabled: false, mustChangePassword: false, ...over,
});

function setup(data: CommandSocketData, sessions: () => { user: User } | null = () => ({ user: user() })) {
  const inflight = createInflight();
  let reads = 0;
  const commands = createCommands<Demo>({
    data,
    logger,
    inflight,
    resolveSession: async () => {
      reads += 1;
      return sessions();
    },
  });
  const schema = z.object({ n: z.number().int() });
  const echo = commands.staff('demo:echo', schema, async ({ n }) => ({ data: { n } }));
  const open = commands.anyone('demo:echo', schema, async ({ n }) => ({ data: { n } }));
  const boom = commands.anyone('demo:boom', schema, async () => {
    throw new Error('a bug');
  });
  /** Calls a listener the way socket.io would and waits for its ack. */
  const call = (listener: (p: never, ack: never) => void, payload: unknown) =>
    new Promise<Ack<object>>((resolve) => (listener as (p: unknown, ack: (a: Ack<object>) => void) => void)(payload, resolve));
  return { echo, open, boom, call, reads: () => reads, inflight };
}

const code = (a: Ack<object>) => (a.ok ? 'OK' : a.error.code);

describe('realtime/command.ts: the shared command wrapper', () => {
  it('acks data on success, INVALID_INPUT for a bad payload, INTERNAL (never a throw) for a bug', async () => {
    const { open, boom, call } = setup({ user: null, sessionId: null });
    expect(await call(open, { n: 3 })).toEqual({ ok: true, n: 3 });
    expect(code(await call(open, { n: 'x' }))).toBe('INVALID_INPUT');
    expect(code(await call(open, undefined))).toBe('INVALID_INPUT');
    expect(await call(boom, { n: 1 })).toEqual({ ok: false, error: { code: 'INTERNAL', message: '服务器内部错误' } });
  });

  it('ignores a command sent without an ack, and rate limits a burst per socket (20, then RATE_LIMITED)', async () => {
    const { open, call, inflight } = setup({ user: null, sessionId: null });
    (open as (p: unknown, ack: unknown) => void)({ n: 1 }, undefined);
    await inflight.settle();
    const acks = await Promise.all(Array.from({ length: 25 }, () => call(open, { n: 1 })));
    expect(acks.filter((a) => code(a) === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(4);
    expect(acks.filter((a) => a.ok).length).toBeLessThanOrEqual(21);
  });

  it('issue 9 items 13 and 14: a staff command reads the session from Redis on every call and refuses by what it finds', async () => {
    let current: { user: User } | null = { user: user() };
    const data: CommandSocketData = { user: user(), sessionId: 's1' };
    const { echo, call, reads } = setup(data, () => current);
    expect(await call(echo, { n: 1 })).toEqual({ ok: true, n: 1 });
    expect(reads()).toBe(1);
    current = { user: user({ role: 'member' }) };
    expect(code(await call(echo, { n: 1 }))).toBe('FORBIDDEN');
    expect(data.user?.role).toBe('member'); // the socket's copy follows what Redis said
    current = { user: user({ mustChangePassword: true }) };
    expect(code(await call(echo, { n: 1 }))).toBe('PASSWORD_CHANGE_REQUIRED');
    current = null;
    expect(code(await call(echo, { n: 1 }))).toBe('UNAUTHENTICATED');
    expect(data.user).toBeNull();
    expect(reads()).toBe(4);
    // Who comes before shape: a refused caller learns nothing about the payload.
    expect(code(await call(echo, { n: 'x' }))).toBe('UNAUTHENTICATED');
  });

  it('a guest is UNAUTHENTICATED for staff commands, FORBIDDEN while playing a game', async () => {
    const guest = setup({ user: null, sessionId: null });
    expect(code(await guest.call(guest.echo, { n: 1 }))).toBe('UNAUTHENTICATED');
    const playing = setup({ user: null, sessionId: null, gameId: 'g1' });
    expect(code(await playing.call(playing.echo, { n: 1 }))).toBe('FORBIDDEN');
    expect(playing.reads()).toBe(0);
  });
});
