import { shallowRef } from 'vue';

export type AnswerValue = number | number[] | string;

/**
 * sending: emitted, no ack yet. waiting: kept on the phone while the connection is down, sent once the seat is back.
 * acked: the server took it (value null when it was taken before a reload). lost: the question closed first, or the
 * server said it was too late.
 */
export type SubmissionStatus = 'sending' | 'waiting' | 'acked' | 'lost';
export interface Submission {
  index: number;
  value: AnswerValue | null;
  status: SubmissionStatus;
}

interface Deps {
  connected(): boolean;
  /** Sends `answer:submit`; rejects with the server's refusal (an error with `code`) or a timeout. */
  emit(input: { gameId: string; index: number; answer: AnswerValue }): Promise<void>;
  /** The socket has no seat (a new socket the server does not know as a player yet): take the seat back. */
  seatLost(): void;
}

const code = (e: unknown) => (e as { code?: string }).code;

/**
 * One player's answer to the current question, from tap to ack. Only an ack shows "submitted": an answer tapped
 * offline is never sent on a seatless socket (it would be refused), but kept and sent after the rejoin.
 */
export function createSubmission(deps: Deps) {
  const state = shallowRef<Submission | null>(null);
  /** Bumped whenever an attempt in flight stops counting (a drop, a new question): its late ack is ignored. */
  let attempt = 0;
  /** A seatless refusal triggers one rejoin per answer, not a loop. */
  let rejoinAsked = false;

  const set = (s: Submission | null) => (state.value = s);

  async function deliver(gameId: string) {
    const s = state.value;
    if (!s || s.value === null) return;
    const mine = ++attempt;
    set({ ...s, status: 'sending' });
    try {
      await deps.emit({ gameId, index: s.index, answer: s.value });
      if (mine === attempt) set({ ...s, status: 'acked' });
    } catch (e) {
      if (mine !== attempt) return;
      const c = code(e);
      if (c === 'ALREADY_ANSWERED') set({ ...s, status: 'acked' }); // an earlier try got through
      else if (c === 'TOO_LATE' || c === 'WRONG_PHASE') set({ ...s, status: 'lost' });
      else if (c === 'UNAUTHENTICATED' || c === 'FORBIDDEN' || !deps.connected() || c === undefined || c === 'NETWORK') {
        // No seat on this socket, or no answer from the server: keep it; the rejoin says whether it was taken.
        set({ ...s, status: 'waiting' });
        if (!rejoinAsked && deps.connected()) {
          rejoinAsked = true;
          deps.seatLost();
        }
      } else {
        set(null); // refused for its shape or rate: the player may answer again
        throw e;
      }
    }
  }

  return {
    state,
    async submit(gameId: string, index: number, value: AnswerValue) {
      const s = state.value;
      if (s && s.index === index && s.status !== 'lost') return;
      rejoinAsked = false;
      set({ index, value, status: deps.connected() ? 'sending' : 'waiting' });
      if (deps.connected()) await deliver(gameId);
    },
    /** The seat is back and the question is open: send what was kept. */
    flush(gameId: string, index: number) {
      const s = state.value;
      if (s && s.index === index && s.status === 'waiting' && deps.connected()) void deliver(gameId).catch(() => undefined);
    },
    disconnected() {
      const s = state.value;
      if (s?.status === 'sending') {
        attempt++;
        set({ ...s, status: 'waiting' });
      }
    },
    /** Another question is on screen: an answer still unsent for the old one was not submitted. */
    moveTo(index: number) {
      const s = state.value;
      if (!s || s.index === index) return;
      attempt++;
      set(s.status === 'waiting' || s.status === 'sending' ? { ...s, status: 'lost' } : null);
    },
    /** The join ack said this player had answered the open question already. */
    takenBeforeJoin(index: number) {
      const s = state.value;
      attempt++;
      set(s && s.index === index ? { ...s, status: 'acked' } : { index, value: null, status: 'acked' });
    },
    /** The question closed: an answer still waiting for the connection missed it. */
    closed(index: number) {
      const s = state.value;
      if (s && s.index === index && s.status === 'waiting') set({ ...s, status: 'lost' });
    },
    /** The server's word on what this player submitted (`player:result.answer`). */
    resultArrived(index: number, answer: AnswerValue | null | undefined) {
      if (answer === null || answer === undefined) return;
      attempt++;
      set({ index, value: answer, status: 'acked' });
    },
    clear() {
      attempt++;
      set(null);
    },
  };
}
