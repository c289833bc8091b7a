import { describe, expect, it } from 'vitest';
import { closeQuestion, dueStep, endGame, nextDeadline, nextStep, startGame, type GamePhase, type Step } from '../../../server/domain/gamePhase';

const shape = { total: 2, timeLimitMs: 20_000 };
/** A fake clock the test moves by hand. */
const clock = { t: 1_000_000, now() { return this.t; }, advance(ms: number) { this.t += ms; } };
const state = (s: Step): GamePhase => {
  if (!s.ok) throw new Error(s.reason);
  return s.state;
};

describe('game phases', () => {
  it('runs lobby -> question -> reveal -> question -> reveal -> finished with absolute deadlines', () => {
    let s: GamePhase = { phase: 'lobby' };
    const started = startGame(s, clock.now(), shape);
    expect(started).toMatchObject({ ok: true, events: [{ type: 'question:open', index: 0 }] });
    s = state(started);
    expect(s).toEqual({ phase: 'question', index: 0, openedAt: clock.now(), closesAt: clock.now() + 20_000 });
    expect(nextDeadline(s)).toBe(clock.now() + 20_000);

    clock.advance(19_999);
    expect(dueStep(s, clock.now())).toBeNull();
    clock.advance(1);
    const due = dueStep(s, clock.now())!;
    expect(due).toMatchObject({ ok: true, events: [{ type: 'question:close', index: 0 }] });
    s = state(due);
    expect(nextDeadline(s)).toBeNull();

    clock.advance(5_000);
    s = state(nextStep(s, clock.now(), shape));
    expect(s).toMatchObject({ phase: 'question', index: 1, openedAt: clock.now() });
    s = state(nextStep(s, clock.now(), shape)); // closed early by the host
    expect(s).toEqual({ phase: 'reveal', index: 1 });
    const last = nextStep(s, clock.now(), shape);
    expect(last).toMatchObject({ ok: true, events: [{ type: 'game:finished' }] });
    expect(state(last)).toEqual({ phase: 'finished' });
  });

  it('refuses steps that do not fit the phase', () => {
    expect(nextStep({ phase: 'lobby' }, 0, shape)).toEqual({ ok: false, reason: 'WRONG_PHASE' });
    expect(startGame({ phase: 'reveal', index: 0 }, 0, shape)).toEqual({ ok: false, reason: 'WRONG_PHASE' });
    expect(closeQuestion({ phase: 'reveal', index: 0 })).toEqual({ ok: false, reason: 'WRONG_PHASE' });
    expect(endGame({ phase: 'finished' })).toEqual({ ok: false, reason: 'WRONG_PHASE' });
  });

  it('a deadline that passed while no server ran closes at once on restart', () => {
    const s: GamePhase = { phase: 'question', index: 0, openedAt: 0, closesAt: 20_000 };
    expect(dueStep(s, 3_600_000)).toMatchObject({ ok: true, state: { phase: 'reveal', index: 0 } });
  });

  it('ending mid-question closes it first', () => {
    const s: GamePhase = { phase: 'question', index: 1, openedAt: 0, closesAt: 1 };
    expect(endGame(s)).toMatchObject({ ok: true, events: [{ type: 'question:close', index: 1 }, { type: 'game:finished' }] });
  });
});
