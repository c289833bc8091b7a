/** Where a live game is; deadlines are absolute server times, so any process can re-arm its timer. */
export type GamePhase =
  | { phase: 'lobby' }
  | { phase: 'question'; index: number; openedAt: number; closesAt: number }
  | { phase: 'reveal'; index: number }
  | { phase: 'finished' };

export type PhaseEvent =
  | { type: 'question:open'; index: number }
  | { type: 'question:close'; index: number }
  | { type: 'game:finished' };

export type Step = { ok: true; state: GamePhase; events: PhaseEvent[] } | { ok: false; reason: 'WRONG_PHASE' };

export interface GameShape {
  total: number;
  timeLimitMs: number;
}

const wrong: Step = { ok: false, reason: 'WRONG_PHASE' };

function open(index: number, now: number, shape: GameShape): Step {
  return { ok: true, state: { phase: 'question', index, openedAt: now, closesAt: now + shape.timeLimitMs }, events: [{ type: 'question:open', index }] };
}

/** lobby -> first question. */
export function startGame(state: GamePhase, now: number, shape: GameShape): Step {
  return state.phase === 'lobby' ? open(0, now, shape) : wrong;
}

/** Closes the open question (at its deadline, early by the host, or when everyone answered). */
export function closeQuestion(state: GamePhase): Step {
  if (state.phase !== 'question') return wrong;
  return { ok: true, state: { phase: 'reveal', index: state.index }, events: [{ type: 'question:close', index: state.index }] };
}

/** The host's "next": closes an open question early, opens the next one, or finishes after the last. */
export function nextStep(state: GamePhase, now: number, shape: GameShape): Step {
  if (state.phase === 'question') return closeQuestion(state);
  if (state.phase !== 'reveal') return wrong;
  if (state.index + 1 < shape.total) return open(state.index + 1, now, shape);
  return { ok: true, state: { phase: 'finished' }, events: [{ type: 'game:finished' }] };
}

/** The host ends the game from any phase but finished; an open question is closed first. */
export function endGame(state: GamePhase): Step {
  if (state.phase === 'finished') return wrong;
  const events: PhaseEvent[] = state.phase === 'question' ? [{ type: 'question:close', index: state.index }] : [];
  return { ok: true, state: { phase: 'finished' }, events: [...events, { type: 'game:finished' }] };
}

/** What a timer should do now: close a question whose deadline passed (e.g. while no server was running). */
export function dueStep(state: GamePhase, now: number): Step | null {
  return state.phase === 'question' && now >= state.closesAt ? closeQuestion(state) : null;
}

/** When the next timer must fire, or null when nothing waits on time. */
export const nextDeadline = (state: GamePhase): number | null => (state.phase === 'question' ? state.closesAt : null);
