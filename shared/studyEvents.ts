import { z } from 'zod';
import type { AckCallback } from './events';
import { idSchema } from './schemas/common';
import { answerValueSchema, type Distribution, type PublicQuestion } from './schemas/live';
import type { StudySessionStatus } from './schemas/study';
import type { User } from './schemas/users';

/** The `/study` namespace (group study sessions). See docs/protocol.md. */

export type StudyRole = 'host' | 'presenter' | 'member' | 'observer';

/** The poll in progress, as everyone present sees it: never the answer. */
export interface StudyPollView {
  pollId: string;
  question: PublicQuestion;
}

/** The whole state of a session; every change sends all of it (never a delta), so a missed one is caught up by the next. */
export interface StudyState {
  sessionId: string;
  phase: StudySessionStatus;
  materialId: string | null;
  /** 0-based. */
  page: number;
  pageCount: number;
  /** Bumped by every change (page, presenter, poll): a client keeps the highest it saw. */
  version: number;
  presenterId: string | null;
  poll?: StudyPollView;
}

// ---------------------------------------------------------------- command payloads

const sessionRef = z.object({ sessionId: idSchema });
export const studyRefSchema = sessionRef;
export const studyGotoSchema = sessionRef.extend({ page: z.number().int().min(0).max(100_000) });
export const studyPresenterSchema = sessionRef.extend({ userId: idSchema });
export const studyPollOpenSchema = sessionRef.extend({ questionId: idSchema });
export const studyPollAnswerSchema = sessionRef.extend({ pollId: idSchema, answer: answerValueSchema });
export const studyVisibilitySchema = sessionRef.extend({ visible: z.boolean() });

type Ref = z.infer<typeof sessionRef>;

export interface StudyJoinAck {
  state: StudyState;
  role: StudyRole;
  serverNow: number;
  /** With a poll open: what this user already answered (from any device), or null. */
  pollAnswer?: AnswerValue | null;
  /** With no poll open: the last closed poll, its result and this user's answer, so a reloaded screen shows it again. */
  lastPoll?: { open: StudyPollOpenPayload; result: StudyPollResultPayload; answer: AnswerValue | null };
}

type AnswerValue = number | number[] | string;

/** Commands from clients on `/study`. */
export interface StudyClientToServerEvents {
  'session:whoami': (payload: Record<string, never>, ack: AckCallback<{ user: User | null }>) => void;
  'study:join': (payload: Ref, ack: AckCallback<StudyJoinAck>) => void;
  'study:start': (payload: Ref, ack: AckCallback) => void;
  'study:end': (payload: Ref, ack: AckCallback) => void;
  'study:goto': (payload: z.infer<typeof studyGotoSchema>, ack: AckCallback<{ version: number }>) => void;
  'study:presenter': (payload: z.infer<typeof studyPresenterSchema>, ack: AckCallback) => void;
  'study:poll:open': (payload: z.infer<typeof studyPollOpenSchema>, ack: AckCallback<{ pollId: string }>) => void;
  'study:poll:answer': (payload: z.infer<typeof studyPollAnswerSchema>, ack: AckCallback) => void;
  'study:poll:close': (payload: Ref, ack: AckCallback) => void;
  'study:visibility': (payload: z.infer<typeof studyVisibilitySchema>, ack: AckCallback) => void;
}

export interface StudyPresencePayload {
  sessionId: string;
  online: number;
  away: number;
  /** Members on the branch roll. */
  onRoll: number;
  /** Roll members with a socket now. */
  present: number;
}

export type RosterStatus = 'online' | 'away' | 'left' | 'absent';

export interface StudyRosterPayload {
  sessionId: string;
  people: { userId: string; name: string; status: RosterStatus; role: StudyRole }[];
}

export interface StudyPollOpenPayload {
  sessionId: string;
  pollId: string;
  question: PublicQuestion;
}

export interface StudyPollResultPayload {
  sessionId: string;
  pollId: string;
  correctAnswer: number | number[] | string[];
  explanation: string;
  source: string;
  distribution: Distribution;
  answered: number;
  present: number;
}

/** Events from the server on `/study`. */
export interface StudyServerToClientEvents {
  'session:ended': (payload: { reason: 'logout' | 'disabled' | 'password-changed' | 'account-changed' }) => void;
  'study:state': (payload: StudyState) => void;
  'study:presence': (payload: StudyPresencePayload) => void;
  'study:roster': (payload: StudyRosterPayload) => void;
  'study:poll:open': (payload: StudyPollOpenPayload) => void;
  'study:poll:result': (payload: StudyPollResultPayload) => void;
  /** To the hosts and the presenter while a poll is open: how many have answered (at most every 500 ms). */
  'study:poll:answers': (payload: { sessionId: string; pollId: string; answered: number }) => void;
  'study:ended': (payload: Ref) => void;
}

/** What the handshake and `study:join` attach to a `/study` socket. */
export interface StudySocketData {
  user: User | null;
  sessionId: string | null;
  /** The study session this socket joined (one at a time). */
  studyId?: string;
  studyRole?: StudyRole;
  /** Who joined it: kept apart from `user`, which a re-check clears when the login ends, so the stay still closes. */
  studyUserId?: string;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface StudyInterServerEvents {}
