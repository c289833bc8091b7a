import { ErrorCode } from '../../../shared/errors';
import type { StudyJoinAck, StudyPollResultPayload, StudyRole, StudyState } from '../../../shared/studyEvents';
import type { PublicQuestion } from '../../../shared/schemas/live';
import type { StudySession } from '../../../shared/schemas/study';
import type { User } from '../../../shared/schemas/users';
import { AppError, forbidden, invalidInput, notFound, unauthenticated } from '../../domain/errors';
import { answerFits, distribution } from '../../domain/liveResults';
import { isCorrect, type AnswerValue } from '../../domain/scoring';
import type { Clock } from '../../infra/clock';
import { newId } from '../../store/ids';
import type { QuestionsStore } from '../../store/questionsStore';
import type { LiveStep, LiveStudy, LiveStudyStore } from '../../store/study/liveStudyStore';
import type { MaterialsStore } from '../../store/study/materialsStore';
import type { RollStore } from '../../store/study/rollStore';
import type { StudySessionsService } from './sessions';
import { normaliseForCompare } from '../../../shared/text';

/** Questions the presenter's search shows at once (a modal on the projector). */
const POLL_QUESTIONS_SHOWN = 20;

/** What the transport sends; the realtime layer implements it (rooms, throttles, other processes). */
export interface StudyOutput {
  state(sessionId: string, state: StudyState): void;
  pollOpen(sessionId: string, pollId: string, question: PublicQuestion): void;
  pollResult(payload: StudyPollResultPayload): void;
  ended(sessionId: string): void;
  /** Presence or the roster may have changed: send both (throttled to once a second). */
  presenceChanged(sessionId: string): void;
  /** Someone answered the open poll: the hosts get the count (throttled). */
  pollAnswered(sessionId: string, pollId: string): void;
  /** The presenter changed: their sockets join the hosts' room, which gets the roster. */
  presenterChanged(sessionId: string, userId: string): void;
}

export interface LiveStudyDeps {
  sessions: StudySessionsService;
  live: LiveStudyStore;
  roll: RollStore;
  materials: MaterialsStore;
  questions: QuestionsStore;
  clock: Clock;
  output: () => StudyOutput;
  /** Who is present now (user ids with a socket in the session), from the stays store. */
  presentUsers(sessionId: string): Promise<Set<string>>;
  /** Drafts the meeting record when a session ends (idempotent). */
  onEnded(session: StudySession, by: User): Promise<void>;
}

const wrongPhase = (message: string) => new AppError(ErrorCode.WRONG_PHASE, message);

const DEFAULT_MESSAGES: Partial<Record<string, string>> = {
  WRONG_PHASE: '学习会当前状态不能这样操作',
  FORBIDDEN: '只有主讲人可以这样操作',
  INVALID_INPUT: '页码超出范围',
  NOT_FOUND: '没有这次提问',
  ALREADY_ANSWERED: '已经作答',
  TOO_LATE: '提问已经结束',
};

/** Turns a store refusal into the error the socket answers. */
function unwrap<T>(step: LiveStep<T>, messages: Partial<Record<string, string>> = {}): T {
  if (step.ok) return step.value;
  throw new AppError(ErrorCode[step.code], messages[step.code] ?? DEFAULT_MESSAGES[step.code] ?? '操作失败');
}


export function createLiveStudyService(deps: LiveStudyDeps) {
  const { sessions, live, clock } = deps;

  function stateOf(s: StudySession, l: LiveStudy | null): StudyState {
    const state: StudyState = {
      sessionId: s.id,
      phase: s.status,
      materialId: l?.materialId ?? s.materialId,
      page: l?.page ?? 0,
      pageCount: l?.pageCount ?? 0,
      version: l?.version ?? 0,
      presenterId: l?.presenterId ?? s.presenterId,
    };
    if (l?.poll && s.status === 'live') state.poll = l.poll;
    return state;
  }

  async function currentState(sessionId: string): Promise<{ session: StudySession; state: StudyState }> {
    const session = await sessions.peek(sessionId);
    if (!session) throw notFound('学习会');
    return { session, state: stateOf(session, await live.get(sessionId)) };
  }

  async function broadcast(sessionId: string): Promise<StudyState> {
    const { state } = await currentState(sessionId);
    deps.output().state(sessionId, state);
    return state;
  }

  /** Who the caller is in this session, or why they may not be in it. */
  async function roleOf(actor: User, s: StudySession, presenterId: string | null): Promise<StudyRole> {
    if (sessions.isHost(actor, s)) return presenterId === actor.id ? 'presenter' : 'host';
    if (presenterId === actor.id) return 'presenter';
    if (actor.branchId === s.branchId) return 'member';
    if (s.allowObservers) return 'observer';
    throw forbidden('这是其他支部的学习会，主持人未开放列席');
  }

  async function requireLive(actor: User, sessionId: string): Promise<{ session: StudySession; state: StudyState }> {
    const found = await currentState(sessionId);
    await roleOf(actor, found.session, found.state.presenterId);
    if (found.session.status !== 'live') throw wrongPhase(found.session.status === 'ended' ? '学习会已经结束' : '学习会还没有开始');
    return found;
  }

  async function pageCountOf(materialId: string | null): Promise<number> {
    if (!materialId) return 0;
    return (await deps.materials.get(materialId))?.pages ?? 0;
  }

  return {
    currentState,
    roleOf,
    pollAnswerCount: (sessionId: string, pollId: string) => live.answerCount(sessionId, pollId),

    /** A follower (or the host) joins: the whole state is in the ack, so a late joiner needs no replay. */
    async join(actor: User | null, sessionId: string): Promise<StudyJoinAck> {
      if (!actor) throw unauthenticated('请先登录再参加学习会');
      const { session, state } = await currentState(sessionId);
      const role = await roleOf(actor, session, state.presenterId);
      if (session.status === 'ended') throw wrongPhase('学习会已经结束');
      const ack: StudyJoinAck = { state, role, serverNow: clock.now() };
      // A screen that comes back (reload, second device) shows the poll as this user left it.
      if (state.poll) ack.pollAnswer = (await live.answerOf(sessionId, state.poll.pollId, actor.id)) as AnswerValue | null;
      else {
        const last = await live.lastPoll(sessionId);
        if (last) ack.lastPoll = { ...last, answer: (await live.answerOf(sessionId, last.result.pollId, actor.id)) as AnswerValue | null };
      }
      return ack;
    },

    /** planned -> live: the roll is taken, the state created, then the session document moves (each step repeatable). */
    async start(actor: User, sessionId: string): Promise<void> {
      const session = await sessions.loadAsHost(actor, sessionId);
      if (session.status !== 'planned') throw wrongPhase(session.status === 'ended' ? '学习会已经结束' : '学习会已经开始');
      await deps.roll.take(session.id, session.branchId);
      await live.init(sessionId, { materialId: session.materialId, pageCount: await pageCountOf(session.materialId), presenterId: session.presenterId ?? actor.id }, clock.now());
      await sessions.start(actor, sessionId);
      await broadcast(sessionId);
      deps.output().presenceChanged(sessionId);
    },

    async end(actor: User, sessionId: string): Promise<void> {
      const session = await sessions.end(actor, sessionId);
      await live.end(sessionId);
      deps.output().ended(sessionId);
      await deps.onEnded(session, actor);
    },

    async goto(actor: User, sessionId: string, page: number): Promise<{ version: number }> {
      await requireLive(actor, sessionId);
      const version = unwrap(await live.goto(sessionId, actor.id, page, clock.now()), { INVALID_INPUT: '页码超出范围', FORBIDDEN: '只有主讲人可以翻页' });
      await broadcast(sessionId);
      return { version };
    },

    async handOver(actor: User, sessionId: string, userId: string): Promise<void> {
      const { session } = await requireLive(actor, sessionId);
      if (!sessions.isHost(actor, session)) throw forbidden('只有主持人可以指定主讲人');
      if (!(await deps.presentUsers(sessionId)).has(userId)) throw invalidInput('只能把主讲交给在场的人', [{ path: 'userId', message: '此人不在场' }]);
      unwrap(await live.setPresenter(sessionId, userId));
      deps.output().presenterChanged(sessionId, userId);
      await broadcast(sessionId);
      deps.output().presenceChanged(sessionId);
    },

    /**
     * The bank as the presenter may ask it (they may be a member the host handed the role to, who cannot use the
     * bank's own search): questions for the whole organisation or this branch, by keyword, never the answer key.
     */
    async pollQuestions(actor: User, sessionId: string, keyword: string): Promise<PublicQuestion[]> {
      const { session, state } = await requireLive(actor, sessionId);
      if (state.presenterId !== actor.id && !sessions.isHost(actor, session)) throw forbidden('只有主讲人可以选题提问');
      const needle = normaliseForCompare(keyword);
      const found: PublicQuestion[] = [];
      for (const q of await deps.questions.all()) {
        if (q.branchId !== null && q.branchId !== session.branchId) continue;
        if (needle && !normaliseForCompare(q.text).includes(needle) && !q.tags.some((tag) => normaliseForCompare(tag).includes(needle))) continue;
        found.push({ id: q.id, type: q.type, text: q.text, options: q.options });
        if (found.length === POLL_QUESTIONS_SHOWN) break;
      }
      return found;
    },

    async openPoll(actor: User, sessionId: string, questionId: string): Promise<{ pollId: string }> {
      const { session } = await requireLive(actor, sessionId);
      const q = await deps.questions.get(questionId);
      // Another branch's own questions are not this session's to ask.
      if (!q || (q.branchId !== null && q.branchId !== session.branchId)) throw notFound('题目');
      const pollId = newId();
      const question = { id: q.id, type: q.type, text: q.text, options: q.options };
      const { id: _id, createdBy: _c, branchId: _b, updatedAt: _u, version: _v, ...content } = q;
      unwrap(await live.openPoll(sessionId, actor.id, { pollId, question }, { ...content, id: q.id }), { FORBIDDEN: '只有主讲人可以发起提问', WRONG_PHASE: '请先结束当前的提问' });
      deps.output().pollOpen(sessionId, pollId, question);
      await broadcast(sessionId);
      return { pollId };
    },

    async answerPoll(actor: User, sessionId: string, pollId: string, answer: AnswerValue): Promise<void> {
      await requireLive(actor, sessionId);
      const q = await live.pollQuestion(sessionId, pollId);
      if (!q) throw notFound('提问');
      if (!answerFits(q, answer)) throw invalidInput('答案格式不正确', [{ path: 'answer', message: '答案与题型不符或选项越界' }]);
      unwrap(await live.answerPoll(sessionId, pollId, actor.id, answer));
      deps.output().pollAnswered(sessionId, pollId);
    },

    /** Closes the poll and tells everyone the answer, the distribution and how many answered. No points, no ranking. */
    async closePoll(actor: User, sessionId: string): Promise<void> {
      await requireLive(actor, sessionId);
      const { pollId } = unwrap(await live.closePoll(sessionId, actor.id), { FORBIDDEN: '只有主讲人可以结束提问', WRONG_PHASE: '当前没有进行中的提问' });
      const q = await live.pollQuestion(sessionId, pollId);
      if (!q) throw notFound('提问');
      const answers = (await live.pollAnswers(sessionId, pollId)) as AnswerValue[];
      const present = (await deps.presentUsers(sessionId)).size;
      const correct = answers.filter((a) => isCorrect(q, a)).length;
      await live.savePollResult(sessionId, { pollId, questionText: q.text, answered: answers.length, present, correct, at: clock.now() });
      const result: StudyPollResultPayload = {
        sessionId,
        pollId,
        correctAnswer: q.answer,
        explanation: q.explanation,
        source: q.source,
        distribution: distribution(q, answers),
        answered: answers.length,
        present,
      };
      await live.saveLastPoll(sessionId, { open: { sessionId, pollId, question: { id: q.id, type: q.type, text: q.text, options: q.options } }, result });
      deps.output().pollResult(result);
      await broadcast(sessionId);
    },
  };
}

export type LiveStudyService = ReturnType<typeof createLiveStudyService>;
