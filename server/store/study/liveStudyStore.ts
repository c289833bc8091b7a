import type { StudyPollOpenPayload, StudyPollResultPayload, StudyPollView } from '../../../shared/studyEvents';
import type { QuestionContent } from '../../../shared/schemas/questions';
import type { RecordPoll } from '../../../shared/schemas/study';
import type { RedisClient } from '../../infra/redis';
import { keys } from '../keys';
import { LuaScript } from '../scripts';
import initLua from '../scripts/studyInit.lua?raw';
import gotoLua from '../scripts/studyGoto.lua?raw';
import presenterLua from '../scripts/studyPresenter.lua?raw';
import pollOpenLua from '../scripts/studyPollOpen.lua?raw';
import pollAnswerLua from '../scripts/studyPollAnswer.lua?raw';
import pollCloseLua from '../scripts/studyPollClose.lua?raw';
import endLua from '../scripts/studyEnd.lua?raw';

const initScript = new LuaScript(initLua);
const gotoScript = new LuaScript(gotoLua);
const presenterScript = new LuaScript(presenterLua);
const pollOpenScript = new LuaScript(pollOpenLua);
const pollAnswerScript = new LuaScript(pollAnswerLua);
const pollCloseScript = new LuaScript(pollCloseLua);
const endScript = new LuaScript(endLua);

/** A live session's state as stored; `poll` is the public view of the open poll. */
export interface LiveStudy {
  materialId: string | null;
  page: number;
  pageCount: number;
  version: number;
  presenterId: string | null;
  ended: boolean;
  poll: StudyPollView | null;
}

/** A poll's question as frozen when it opened, with the key (never sent before the close). */
export type PollQuestion = QuestionContent & { id: string };

export type LiveStep<T> = { ok: true; value: T } | { ok: false; code: 'WRONG_PHASE' | 'FORBIDDEN' | 'INVALID_INPUT' | 'NOT_FOUND' | 'ALREADY_ANSWERED' | 'TOO_LATE' };

function step<T>(reply: unknown, value: (r: unknown[]) => T): LiveStep<T> {
  const r = reply as unknown[];
  return r[0] === 'OK' ? { ok: true, value: value(r) } : { ok: false, code: r[1] as Exclude<LiveStep<T>, { ok: true }>['code'] };
}

export function createLiveStudyStore(redis: RedisClient) {
  return {
    /** Creates the live state once; false when it already existed. */
    async init(id: string, s: { materialId: string | null; pageCount: number; presenterId: string | null }, now: number): Promise<boolean> {
      return (await initScript.run(redis, [keys.studyLive(id), keys.studyPages(id)], [s.materialId ?? '', s.pageCount, s.presenterId ?? '', now])) === 1;
    },

    async get(id: string): Promise<LiveStudy | null> {
      const h = await redis.hGetAll(keys.studyLive(id));
      if (!h.version) return null;
      return {
        materialId: h.materialId || null,
        page: Number(h.page),
        pageCount: Number(h.pageCount),
        version: Number(h.version),
        presenterId: h.presenterId || null,
        ended: h.ended === '1',
        poll: h.poll ? (JSON.parse(h.poll) as StudyPollView) : null,
      };
    },

    async goto(id: string, userId: string, page: number, now: number): Promise<LiveStep<number>> {
      return step(await gotoScript.run(redis, [keys.studyLive(id), keys.studyPages(id)], [userId, page, now]), (r) => Number(r[1]));
    },

    async setPresenter(id: string, userId: string): Promise<LiveStep<number>> {
      return step(await presenterScript.run(redis, [keys.studyLive(id)], [userId]), (r) => Number(r[1]));
    },

    async openPoll(id: string, userId: string, view: StudyPollView, question: PollQuestion): Promise<LiveStep<number>> {
      const reply = await pollOpenScript.run(redis, [keys.studyLive(id), keys.studyPolls(id), keys.studyPoll(id, view.pollId)], [userId, view.pollId, JSON.stringify(view), JSON.stringify(question)]);
      return step(reply, (r) => Number(r[1]));
    },

    async answerPoll(id: string, pollId: string, userId: string, answer: unknown): Promise<LiveStep<true>> {
      const code = (await pollAnswerScript.run(redis, [keys.studyPolls(id), keys.studyPollAnswers(id, pollId)], [pollId, userId, JSON.stringify(answer)])) as string;
      return code === 'OK' ? { ok: true, value: true } : { ok: false, code: code as 'NOT_FOUND' };
    },

    async closePoll(id: string, userId: string): Promise<LiveStep<{ pollId: string; version: number }>> {
      return step(await pollCloseScript.run(redis, [keys.studyLive(id), keys.studyPolls(id)], [userId]), (r) => ({ pollId: String(r[1]), version: Number(r[2]) }));
    },

    async pollQuestion(id: string, pollId: string): Promise<PollQuestion | null> {
      const raw = await redis.get(keys.studyPoll(id, pollId));
      return raw ? (JSON.parse(raw) as PollQuestion) : null;
    },

    async pollAnswers(id: string, pollId: string): Promise<unknown[]> {
      return Object.values(await redis.hGetAll(keys.studyPollAnswers(id, pollId))).map((v) => JSON.parse(v) as unknown);
    },

    /** A closed poll's result, kept for the meeting record (written again by a retry: same value). */
    async savePollResult(id: string, result: RecordPoll & { at: number }): Promise<void> {
      await redis.hSet(keys.studyPollResults(id), result.pollId, JSON.stringify(result));
    },

    async pollResults(id: string): Promise<(RecordPoll & { at: number })[]> {
      return Object.values(await redis.hGetAll(keys.studyPollResults(id)))
        .map((v) => JSON.parse(v) as RecordPoll & { at: number })
        .sort((a, b) => a.at - b.at);
    },

    answerCount: (id: string, pollId: string) => redis.hLen(keys.studyPollAnswers(id, pollId)),

    /** This user's answer to a poll, or null. */
    async answerOf(id: string, pollId: string, userId: string): Promise<unknown> {
      const raw = await redis.hGet(keys.studyPollAnswers(id, pollId), userId);
      return raw === null || raw === undefined ? null : (JSON.parse(raw) as unknown);
    },

    async saveLastPoll(id: string, last: { open: StudyPollOpenPayload; result: StudyPollResultPayload }): Promise<void> {
      await redis.set(keys.studyLastPoll(id), JSON.stringify(last));
    },

    async lastPoll(id: string): Promise<{ open: StudyPollOpenPayload; result: StudyPollResultPayload } | null> {
      const raw = await redis.get(keys.studyLastPoll(id));
      return raw ? (JSON.parse(raw) as { open: StudyPollOpenPayload; result: StudyPollResultPayload }) : null;
    },

    async end(id: string): Promise<void> {
      await endScript.run(redis, [keys.studyLive(id), keys.studyPolls(id)], []);
    },

    /** Pages shown, in the order they were first shown. */
    async pagesCovered(id: string): Promise<number[]> {
      return (await redis.zRange(keys.studyPages(id), 0, -1)).map(Number);
    },
  };
}

export type LiveStudyStore = ReturnType<typeof createLiveStudyStore>;
