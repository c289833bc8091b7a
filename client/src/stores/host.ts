import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { GameFinishedPayload, LeaderboardPayload, QuestionClosePayload, QuestionOpenPayload } from '../../../shared/events';
import type { GameCreateInput, GameReport, LivePhase, LobbyPlayer } from '../../../shared/schemas/live';
import type { LiveSocket } from '../socket';
import { api } from '../api';
import type { ShownQuestion } from '../live/shownQuestion';
import { createServerClock } from '../live/serverClock';
import { createLiveConnection } from '../live/liveConnection';

/** The host console of one live game (projector or laptop). Owns its `/live` socket and listeners. */
export const useHostStore = defineStore('host', () => {
  const clock = createServerClock();
  /** The hosted game, its PIN, quiz title, phase and question index. */
  const gameId = ref<string | null>(null);
  const pin = ref<string | null>(null);
  const title = ref<string | null>(null);
  const phase = ref<LivePhase | null>(null);
  /** Whether new players are refused (`game:lock`); rejoins still work. */
  const locked = ref(false);
  /** The open (or last opened) question with its deadline; the host sees what the players see. */
  const question = shallowRef<QuestionOpenPayload | null>(null);
  /** The question on screen, open or revealed: set by `question:open` and by `question:close` alone (after a reload). */
  const current = shallowRef<ShownQuestion | null>(null);
  /** How many questions the quiz has (null until a `question:open` or the report says). */
  const total = ref<number | null>(null);
  /** The current question's close: correct answer, explanation, source, distribution. */
  const close = shallowRef<QuestionClosePayload | null>(null);
  const leaderboard = shallowRef<LeaderboardPayload | null>(null);
  const finished = shallowRef<GameFinishedPayload | null>(null);
  /** Players in the game (newest first, capped by the server) and how many. */
  const players = shallowRef<LobbyPlayer[]>([]);
  const playerCount = ref(0);
  /** Answers to the open question so far, of how many players. */
  const answers = ref<{ index: number; answered: number; total: number } | null>(null);
  /** A refusal from the server that the console should show (e.g. a lost host right). */
  const lastError = ref<string | null>(null);

  function bind(s: LiveSocket) {
    s.on('question:open', (p) => {
      if (p.gameId !== gameId.value) return;
      clock.sync(p.serverNow);
      if (question.value?.index !== p.index) {
        close.value = null;
        answers.value = { index: p.index, answered: 0, total: playerCount.value };
      }
      question.value = p;
      current.value = { index: p.index, question: p.question };
      total.value = p.total;
      phase.value = 'question';
    });
    s.on('question:close', (p) => {
      if (p.gameId !== gameId.value) return;
      // Reopened during the reveal: the close alone carries the question, so the reveal renders without an open.
      if (current.value?.index !== p.index) current.value = { index: p.index, question: p.question };
      if (question.value?.index !== p.index) question.value = null;
      close.value = p;
      phase.value = 'reveal';
      if (total.value === null) void loadTotal(p.gameId);
    });
    s.on('leaderboard', (p) => {
      if (p.gameId === gameId.value) leaderboard.value = p;
    });
    s.on('game:finished', (p) => {
      if (p.gameId !== gameId.value) return;
      finished.value = p;
      phase.value = 'finished';
    });
    s.on('game:players', (p) => {
      if (p.gameId !== gameId.value) return;
      players.value = p.players;
      playerCount.value = p.count;
      locked.value = p.locked;
    });
    s.on('game:answers', (p) => {
      if (p.gameId === gameId.value) answers.value = { index: p.index, answered: p.answered, total: p.total };
    });
  }

  // After a drop (or a server restart) the new socket is no console yet: attach it again; the server replays the state.
  const link = createLiveConnection(bind, () => {
    if (gameId.value) void attach(gameId.value).catch((e: unknown) => (lastError.value = (e as Error).message));
  });
  /** 'connected' while attached; 'reconnecting' during a drop (the console re-attaches by itself). */
  const connection = link.state;
  const send = link.send;

  /** The quiz length for "next" vs "final results" after a reload in the reveal (no `question:open` seen). */
  async function loadTotal(id: string) {
    try {
      const report = (await api<{ game: GameReport }>('GET', `/games/${encodeURIComponent(id)}`)).game;
      if (gameId.value === id && total.value === null) total.value = report.totalQuestions;
    } catch {
      /* the button then says "next"; the server still ends the game after the last question */
    }
  }

  function reset(id: string | null) {
    gameId.value = id;
    pin.value = null;
    title.value = null;
    phase.value = null;
    locked.value = false;
    question.value = null;
    current.value = null;
    total.value = null;
    close.value = null;
    leaderboard.value = null;
    finished.value = null;
    players.value = [];
    playerCount.value = 0;
    answers.value = null;
    lastError.value = null;
  }

  /** Creates a game from a quiz; this socket hosts it. Returns the new game's id. */
  async function create(input: Partial<GameCreateInput> & { quizId: string }): Promise<string> {
    const created = await send((s) => s.emitWithAck('game:create', input));
    reset(created.gameId);
    pin.value = created.pin;
    phase.value = 'lobby';
    return created.gameId;
  }

  /** Attaches this console to a running game (after a reload or restart); the server replays the state. */
  async function attach(id: string) {
    if (gameId.value !== id) reset(id);
    const hosted = await send((s) => s.emitWithAck('game:host', { gameId: id }));
    pin.value = hosted.pin;
    title.value = hosted.title;
    locked.value = hosted.locked;
    // Events replayed right after the ack refine this; the lobby and finished phases need nothing more.
    phase.value = hosted.phase;
    lastError.value = null;
  }

  const command = (name: 'game:start' | 'game:next' | 'game:end') => async () => {
    const id = gameId.value;
    if (!id) return;
    await send((s) => s.emitWithAck(name, { gameId: id }));
  };

  async function kick(playerId: string) {
    const id = gameId.value;
    if (!id) return;
    await send((s) => s.emitWithAck('game:kick', { gameId: id, playerId }));
    players.value = players.value.filter((p) => p.playerId !== playerId);
  }

  /** Refuses (or again admits) new players; rejoins still work. */
  async function setLocked(value: boolean) {
    const id = gameId.value;
    if (!id) return;
    await send((s) => s.emitWithAck('game:lock', { gameId: id, locked: value }));
    locked.value = value;
  }

  /** Removes every guest player (each is kicked); returns how many. */
  async function kickGuests(): Promise<number> {
    const id = gameId.value;
    if (!id) return 0;
    const { removed } = await send((s) => s.emitWithAck('game:kickGuests', { gameId: id }));
    players.value = players.value.filter((p) => !p.guest);
    return removed;
  }

  /** Closes the console's socket (leaving the page); the game goes on without a console. */
  function detach() {
    link.close();
    reset(null);
  }

  return {
    connection,
    gameId,
    pin,
    title,
    phase,
    locked,
    question,
    current,
    total,
    close,
    leaderboard,
    finished,
    players,
    playerCount,
    answers,
    lastError,
    now: clock.now,
    create,
    attach,
    start: command('game:start'),
    next: command('game:next'),
    end: command('game:end'),
    kick,
    setLocked,
    kickGuests,
    detach,
  };
});
