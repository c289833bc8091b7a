import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { GameFinishedPayload, LeaderboardPayload, PlayerResultPayload, QuestionClosePayload, QuestionOpenPayload } from '../../../shared/events';
import type { LivePhase } from '../../../shared/schemas/live';
import type { LiveSocket } from '../socket';
import { createLiveConnection } from '../live/liveConnection';
import { createServerClock } from '../live/serverClock';
import { forgetSeat, rememberSeat, savedSeat, type Seat } from '../live/seat';

export type AnswerValue = number | number[] | string;
/** Why this device stopped playing: removed by the host, or the same member joined on another device. */
export type EndReason = 'kicked' | 'replaced' | 'session-ended';

/** A member's (or guest's) seat in one live game, on the phone. Owns the `/live` socket and its listeners. */
export const usePlayerStore = defineStore('player', () => {
  const clock = createServerClock();
  /** This seat's token in memory too, so a drop rejoins even where localStorage is off. */
  let seat: Seat | null = null;
  /** The join ack said this player already answered; the replayed `question:open` must not unlock it. */
  let answeredOnJoin = false;

  /** The game joined, with this device's player id and PIN. */
  const gameId = ref<string | null>(null);
  const playerId = ref<string | null>(null);
  const pin = ref<string | null>(null);
  /** The game's phase as last heard from the server. */
  const phase = ref<LivePhase | null>(null);
  /** The open (or last) question. Never carries the answer. */
  const question = shallowRef<QuestionOpenPayload | null>(null);
  /** What this player sent for the current question; `true` when it answered before a reload (value unknown). */
  const myAnswer = shallowRef<AnswerValue | true | null>(null);
  /** The current question's close (correct answer, explanation), own result, the leaderboard and the podium. */
  const close = shallowRef<QuestionClosePayload | null>(null);
  const result = shallowRef<PlayerResultPayload | null>(null);
  const leaderboard = shallowRef<LeaderboardPayload | null>(null);
  const finished = shallowRef<GameFinishedPayload | null>(null);
  /** Set when this device was removed from the game. */
  const ended = ref<EndReason | null>(null);
  /** The last result seen, kept across questions for the final screen. */
  const lastResult = shallowRef<PlayerResultPayload | null>(null);

  /** Rejoined (e.g. after a reload) during a reveal: whether this player had answered is not known here. */
  const answerUnknown = ref(false);
  /** true / false, or null when not known (see answerUnknown). */
  const answered = computed(() => (myAnswer.value !== null ? true : answerUnknown.value ? null : false));
  const now = clock.now;

  function resetQuestion() {
    myAnswer.value = null;
    answerUnknown.value = false;
    close.value = null;
    result.value = null;
  }

  function bind(s: LiveSocket) {
    s.on('question:open', (p) => {
      if (p.gameId !== gameId.value) return;
      clock.sync(p.serverNow);
      if (question.value?.index !== p.index) resetQuestion();
      if (answeredOnJoin && myAnswer.value === null) myAnswer.value = true;
      answeredOnJoin = false;
      question.value = p;
      phase.value = 'question';
    });
    s.on('question:close', (p) => {
      if (p.gameId !== gameId.value) return;
      close.value = p;
      phase.value = 'reveal';
    });
    s.on('player:result', (p) => {
      if (p.gameId !== gameId.value) return;
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
    const drop = (reason: EndReason) => {
      ended.value = reason;
      if (reason === 'kicked' && pin.value) forgetSeat(pin.value);
    };
    s.on('player:kicked', () => drop('kicked'));
    s.on('player:replaced', () => drop('replaced'));
    s.on('session:ended', () => drop('session-ended'));
  }

  // A new socket after a drop has no seat: take it back with the token (the server replays the phase's events).
  const link = createLiveConnection(bind, () => {
    if (pin.value && !ended.value) void rejoin(pin.value).catch(() => undefined);
  });
  const connection = link.state;
  const send = link.send;

  async function joinWith(gamePin: string, nickname: string | undefined, rejoinToken: string | undefined) {
    const joined = await send((s) =>
      s.emitWithAck('game:join', { pin: gamePin, ...(nickname ? { nickname } : {}), ...(rejoinToken ? { rejoinToken } : {}) }),
    );
    clock.sync(joined.serverNow);
    if (gameId.value !== joined.gameId) {
      question.value = null;
      leaderboard.value = null;
      finished.value = null;
      lastResult.value = null;
      resetQuestion();
    }
    gameId.value = joined.gameId;
    playerId.value = joined.playerId;
    pin.value = gamePin;
    phase.value = joined.phase;
    ended.value = null;
    answeredOnJoin = joined.answered === true;
    answerUnknown.value = joined.phase === 'reveal' && myAnswer.value === null;
    if (answeredOnJoin && myAnswer.value === null) myAnswer.value = true;
    seat = { token: joined.rejoinToken, nickname: nickname ?? null };
    rememberSeat(gamePin, seat);
    return joined;
  }

  /** Joins by PIN; a saved token for this PIN (same device, earlier visit) brings the old seat and score back. */
  async function join(gamePin: string, nickname?: string) {
    // A token the game does not know (another game on a reused PIN) simply joins as new: the server ignores it.
    const saved = savedSeat(gamePin);
    try {
      return await joinWith(gamePin, nickname ?? saved?.nickname ?? undefined, saved?.token);
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

  /** Sends the answer; the ack says only that it was taken. */
  async function submit(answer: AnswerValue) {
    const q = question.value;
    if (!q || !gameId.value || myAnswer.value !== null) return;
    myAnswer.value = answer;
    try {
      await send((s) => s.emitWithAck('answer:submit', { gameId: q.gameId, index: q.index, answer }));
    } catch (e) {
      // Refused for its shape or rate, or lost on the way: the player may try again (a duplicate gets
      // ALREADY_ANSWERED). Too late or already answered: stays locked.
      const code = (e as { code?: string }).code;
      if (code !== 'ALREADY_ANSWERED' && code !== 'TOO_LATE' && code !== 'WRONG_PHASE') myAnswer.value = null;
      throw e;
    }
  }

  /** Leaves the game screen and closes the socket. */
  function leave() {
    link.close();
    seat = null;
    gameId.value = null;
    playerId.value = null;
    pin.value = null;
    phase.value = null;
    question.value = null;
    leaderboard.value = null;
    finished.value = null;
    lastResult.value = null;
    ended.value = null;
    resetQuestion();
  }

  return { connection, gameId, playerId, pin, phase, question, myAnswer, answered, close, result, lastResult, leaderboard, finished, ended, now, join, rejoin, hasSeat, submit, leave };
});
