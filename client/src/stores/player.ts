import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { GameFinishedPayload, LeaderboardPayload, PlayerResultPayload, QuestionClosePayload, QuestionOpenPayload } from '../../../shared/events';
import type { LivePhase } from '../../../shared/schemas/live';
import type { LiveSocket } from '../socket';
import { createLiveConnection } from '../live/liveConnection';
import { createServerClock } from '../live/serverClock';
import { forgetSeat, rememberSeat, savedSeat, type Seat } from '../live/seat';
import type { ShownQuestion } from '../live/shownQuestion';
import { createSubmission, type AnswerValue } from '../live/submission';

export type { AnswerValue } from '../live/submission';
/** Why this device stopped playing: removed by the host, or the same member joined on another device. */
export type EndReason = 'kicked' | 'replaced' | 'session-ended';

/** A member's (or guest's) seat in one live game, on the phone. Owns the `/live` socket and its listeners. */
export const usePlayerStore = defineStore('player', () => {
  const clock = createServerClock();
  /** This seat's token in memory too, so a drop rejoins even where localStorage is off. */
  let seat: Seat | null = null;
  /** The join ack said this player already answered the open question (before a reload or a drop). */
  let answeredOnJoin = false;

  /** The game joined, with this device's player id and PIN. */
  const gameId = ref<string | null>(null);
  const playerId = ref<string | null>(null);
  const pin = ref<string | null>(null);
  /** Who this player is in the game (own nickname, or the member's display name), the quiz title, and whether a guest. */
  const nickname = ref<string | null>(null);
  const title = ref<string | null>(null);
  const guest = ref(false);
  /** The game's phase as last heard from the server. */
  const phase = ref<LivePhase | null>(null);
  /** The open (or last) question with its deadline. Never carries the answer. */
  const question = shallowRef<QuestionOpenPayload | null>(null);
  /** The question on screen, open or revealed (a reload during the reveal has only the close). */
  const current = shallowRef<ShownQuestion | null>(null);
  /** The current question's close (correct answer, explanation), own result, the leaderboard and the podium. */
  const close = shallowRef<QuestionClosePayload | null>(null);
  const result = shallowRef<PlayerResultPayload | null>(null);
  const leaderboard = shallowRef<LeaderboardPayload | null>(null);
  const finished = shallowRef<GameFinishedPayload | null>(null);
  /** Set when this device was removed from the game. */
  const ended = ref<EndReason | null>(null);
  /** The last result seen, kept across questions for the final screen. */
  const lastResult = shallowRef<PlayerResultPayload | null>(null);
  const now = clock.now;

  // A new socket after a drop has no seat: take it back with the token (the server replays the phase's events).
  const link = createLiveConnection(bind, () => {
    if (pin.value && !ended.value) void rejoin(pin.value).catch(() => undefined);
  });
  const connection = link.state;

  /** This player's answer to the current question: sent, waiting for the connection, taken, or lost. */
  const answer = createSubmission({
    connected: () => link.state.value === 'connected',
    emit: (input) => link.send((s) => s.emitWithAck('answer:submit', input)).then(() => undefined),
    seatLost: () => {
      if (pin.value && !ended.value) void rejoin(pin.value).catch(() => undefined);
    },
  });
  const submission = answer.state;
  /** true once the server took an answer; false when none; null when not known. */
  const answered = computed(() => {
    if (result.value && 'answer' in result.value) return result.value.answer !== null;
    return submission.value?.status === 'acked' ? true : submission.value ? null : false;
  });

  function resetQuestion() {
    answer.clear();
    close.value = null;
    result.value = null;
  }

  function bind(s: LiveSocket) {
    s.on('question:open', (p) => {
      if (p.gameId !== gameId.value) return;
      clock.sync(p.serverNow);
      if (current.value?.index !== p.index) {
        answer.moveTo(p.index);
        close.value = null;
        result.value = null;
      }
      if (answeredOnJoin) answer.takenBeforeJoin(p.index);
      answeredOnJoin = false;
      question.value = p;
      current.value = { index: p.index, question: p.question };
      phase.value = 'question';
      // Back after a drop with an answer kept on the phone: send it now that the seat is ours again.
      answer.flush(p.gameId, p.index);
    });
    s.on('question:close', (p) => {
      if (p.gameId !== gameId.value) return;
      if (current.value?.index !== p.index) {
        answer.moveTo(p.index);
        result.value = null;
        current.value = { index: p.index, question: p.question };
      }
      answer.closed(p.index);
      close.value = p;
      phase.value = 'reveal';
    });
    s.on('player:result', (p) => {
      if (p.gameId !== gameId.value) return;
      answer.resultArrived(p.index, p.answer);
      result.value = p;
      lastResult.value = p;
    });
    s.on('leaderboard', (p) => {
      if (p.gameId === gameId.value) leaderboard.value = p;
    });
    s.on('game:finished', (p) => {
      if (p.gameId !== gameId.value) return;
      finished.value = p;
      phase.value = 'finished';
      if (pin.value) forgetSeat(pin.value);
    });
    s.on('disconnect', () => answer.disconnected());
    const drop = (reason: EndReason) => {
      ended.value = reason;
      if (reason === 'kicked' && pin.value) forgetSeat(pin.value);
    };
    s.on('player:kicked', () => drop('kicked'));
    s.on('player:replaced', () => drop('replaced'));
    s.on('session:ended', () => drop('session-ended'));
  }

  async function joinWith(gamePin: string, name: string | undefined, rejoinToken: string | undefined) {
    const joined = await link.send((s) =>
      s.emitWithAck('game:join', { pin: gamePin, ...(name ? { nickname: name } : {}), ...(rejoinToken ? { rejoinToken } : {}) }),
    );
    clock.sync(joined.serverNow);
    if (gameId.value !== joined.gameId) {
      question.value = null;
      current.value = null;
      leaderboard.value = null;
      finished.value = null;
      lastResult.value = null;
      resetQuestion();
    }
    gameId.value = joined.gameId;
    playerId.value = joined.playerId;
    pin.value = gamePin;
    nickname.value = joined.nickname;
    title.value = joined.title;
    guest.value = joined.guest;
    phase.value = joined.phase;
    ended.value = null;
    answeredOnJoin = joined.answered === true;
    // A guest keeps its own nickname with the token; a member's seat follows the account.
    seat = { token: joined.rejoinToken, nickname: joined.guest ? joined.nickname : null };
    rememberSeat(gamePin, seat);
    return joined;
  }

  /** Joins by PIN; a saved token for this PIN (same device, earlier visit) brings the old seat and score back. */
  async function join(gamePin: string, name?: string) {
    // A token the game does not know (another game on a reused PIN) simply joins as new: the server ignores it.
    const saved = savedSeat(gamePin);
    try {
      return await joinWith(gamePin, name ?? saved?.nickname ?? undefined, saved?.token);
    } catch (e) {
      if ((e as { code?: string }).code === 'FORBIDDEN') forgetSeat(gamePin); // removed by the host: nothing to come back to
      throw e;
    }
  }

  /** After a drop: back into the same seat with the saved token. */
  async function rejoin(gamePin: string) {
    const known = seat ?? savedSeat(gamePin);
    return joinWith(gamePin, known?.nickname ?? undefined, known?.token);
  }

  /** Whether this device has a seat to take back for the PIN (to rejoin after a reload without retyping). */
  const hasSeat = (gamePin: string) => savedSeat(gamePin) !== null;

  /**
   * Answers the open question. Offline, the answer is kept and sent when the seat is back (the server still
   * decides whether it is too late); "submitted" shows only after the server's ack.
   */
  async function submit(value: AnswerValue) {
    const q = question.value;
    if (!q || !gameId.value) return;
    await answer.submit(q.gameId, q.index, value);
  }

  /** Leaves the game screen and closes the socket. */
  function leave() {
    link.close();
    seat = null;
    gameId.value = null;
    playerId.value = null;
    pin.value = null;
    nickname.value = null;
    title.value = null;
    guest.value = false;
    phase.value = null;
    question.value = null;
    current.value = null;
    leaderboard.value = null;
    finished.value = null;
    lastResult.value = null;
    ended.value = null;
    resetQuestion();
  }

  return {
    connection,
    gameId,
    playerId,
    pin,
    nickname,
    title,
    guest,
    phase,
    question,
    current,
    submission,
    answered,
    close,
    result,
    lastResult,
    leaderboard,
    finished,
    ended,
    now,
    join,
    rejoin,
    hasSeat,
    submit,
    leave,
  };
});
