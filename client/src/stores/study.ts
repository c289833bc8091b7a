import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type {
  StudyJoinAck,
  StudyPollOpenPayload,
  StudyPollResultPayload,
  StudyPresencePayload,
  StudyRole,
  StudyRosterPayload,
  StudyState,
} from '../../../shared/studyEvents';
import type { AnswerValue } from '../live/submission';
import { createLiveConnection } from '../live/liveConnection';
import { createStudySocket, type StudySocket } from '../study/studySocket';

/** Why this screen stopped following: the session ended, or this account was signed out elsewhere. */
export type StudyEndReason = 'ended' | 'signed-out';
/** This device's answer to the open poll: sending, taken by the server (only then "已提交"), or refused. */
export type PollSubmission = {
  status: 'sending' | 'acked' | 'failed';
  value: AnswerValue;
  pollId: string;
  message?: string;
  /** The server already had this user's answer (sent from another device, or before a reload): not this value. */
  elsewhere?: boolean;
};

/**
 * One device in one study session (presenter, host, member or observer). Owns the `/study` socket and its
 * listeners: keeps the state with the highest version, rejoins after a drop (the ack carries the whole state),
 * tracks whether a follower browses on their own, and reports page visibility for the roster's "away" mark.
 */
export const useStudyStore = defineStore('study', () => {
  /** The session joined (or being joined). */
  const sessionId = ref<string | null>(null);
  /** This user's role as the server last said. */
  const role = ref<StudyRole | null>(null);
  /** The server's whole state; only a higher version replaces it. */
  const state = shallowRef<StudyState | null>(null);
  /** Counts for everyone; the roster only reaches hosts and the presenter. */
  const presence = shallowRef<StudyPresencePayload | null>(null);
  const roster = shallowRef<StudyRosterPayload | null>(null);
  /** The poll on screen (open), and its result after the close. */
  const poll = shallowRef<StudyPollOpenPayload | null>(null);
  const pollResult = shallowRef<StudyPollResultPayload | null>(null);
  /** Hosts and the presenter: how many have answered the open poll so far. */
  const pollAnswered = ref(0);
  const submission = shallowRef<PollSubmission | null>(null);
  /** The page a follower browses to on their own; null while following the presenter. */
  const ownPage = ref<number | null>(null);
  /** Set when the session ended or the account was signed out. */
  const ended = ref<StudyEndReason | null>(null);

  const link = createLiveConnection<StudySocket>(bind, () => {
    if (sessionId.value && !ended.value) void join(sessionId.value).catch(() => undefined);
  }, createStudySocket);
  const connection = link.state;

  /** The presenter's page, and the page this screen shows. */
  const presenterPage = computed(() => state.value?.page ?? 0);
  const page = computed(() => ownPage.value ?? presenterPage.value);
  /** True while the screen shows the presenter's page. */
  const following = computed(() => ownPage.value === null || ownPage.value === presenterPage.value);
  /** Whether this user moves the pages (the presenter) right now. */
  const presenting = computed(() => role.value === 'presenter');

  function acceptState(next: StudyState) {
    if (next.sessionId !== sessionId.value) return;
    const known = state.value;
    if (known && known.sessionId === next.sessionId && next.version < known.version) return;
    state.value = next;
    if (next.phase === 'ended') ended.value = 'ended';
    // A hand-over changes who may move pages: ask again who we are (a repeated join only recomputes the role).
    if (known && known.presenterId !== next.presenterId && !ended.value) void join(next.sessionId).catch(() => undefined);
    if (next.poll) {
      if (poll.value?.pollId !== next.poll.pollId) showPoll({ sessionId: next.sessionId, ...next.poll });
    } else if (poll.value && !pollResult.value) {
      poll.value = null;
    }
  }

  function showPoll(p: StudyPollOpenPayload) {
    poll.value = p;
    pollResult.value = null;
    pollAnswered.value = 0;
    if (submission.value?.pollId !== p.pollId) submission.value = null;
  }

  function bind(s: StudySocket) {
    s.on('study:state', acceptState);
    s.on('study:presence', (p) => {
      if (p.sessionId === sessionId.value) presence.value = p;
    });
    s.on('study:roster', (p) => {
      if (p.sessionId === sessionId.value) roster.value = p;
    });
    s.on('study:poll:open', (p) => {
      if (p.sessionId === sessionId.value) showPoll(p);
    });
    s.on('study:poll:result', (p) => {
      if (p.sessionId !== sessionId.value) return;
      pollResult.value = p;
      if (submission.value?.status === 'sending') submission.value = null;
    });
    s.on('study:poll:answers', (p) => {
      if (p.sessionId === sessionId.value && p.pollId === poll.value?.pollId) pollAnswered.value = p.answered;
    });
    s.on('study:ended', (p) => {
      if (p.sessionId === sessionId.value) ended.value = 'ended';
    });
    s.on('session:ended', () => {
      ended.value = 'signed-out';
    });
  }

  function onVisibility() {
    const id = sessionId.value;
    if (!id || ended.value || link.state.value !== 'connected') return;
    void link.send((s) => s.emitWithAck('study:visibility', { sessionId: id, visible: document.visibilityState === 'visible' })).catch(() => undefined);
  }

  /** Joins (or, after a drop, rejoins) the session; the ack's state replaces ours when it is newer. */
  async function join(id: string) {
    if (sessionId.value !== id) reset();
    sessionId.value = id;
    const ack = await link.send((s) => s.emitWithAck('study:join', { sessionId: id }));
    role.value = ack.role;
    acceptState(ack.state);
    restorePoll(ack);
    document.addEventListener('visibilitychange', onVisibility);
    if (document.visibilityState !== 'visible') onVisibility();
    return ack;
  }

  /**
   * After a reload or on a second device, the poll as this user left it: an answer the server already has shows as
   * submitted (with what was chosen); the last closed poll shows its result again until the member puts it away.
   */
  function restorePoll(ack: StudyJoinAck) {
    const open = poll.value;
    if (open && ack.pollAnswer !== undefined && ack.pollAnswer !== null && submission.value?.pollId !== open.pollId) {
      submission.value = { status: 'acked', value: ack.pollAnswer, pollId: open.pollId };
    }
    if (!open && ack.lastPoll && !pollResult.value) {
      poll.value = ack.lastPoll.open;
      pollResult.value = ack.lastPoll.result;
      if (ack.lastPoll.answer !== null) submission.value = { status: 'acked', value: ack.lastPoll.answer, pollId: ack.lastPoll.open.pollId };
    }
  }

  const sid = () => {
    if (!sessionId.value) throw new Error('not in a study session');
    return sessionId.value;
  };

  /** Host: planned -> live, and live -> ended. */
  const start = () => link.send((s) => s.emitWithAck('study:start', { sessionId: sid() }));
  const end = () => link.send((s) => s.emitWithAck('study:end', { sessionId: sid() }));

  /** Presenter: shows a page to everyone (0-based); the broadcast state follows. */
  async function goto(target: number) {
    const count = state.value?.pageCount ?? 0;
    if (target < 0 || target >= count || target === presenterPage.value) return;
    await link.send((s) => s.emitWithAck('study:goto', { sessionId: sid(), page: target }));
  }

  /** Host: gives the presenter role to someone present. */
  const handOver = (userId: string) => link.send((s) => s.emitWithAck('study:presenter', { sessionId: sid(), userId }));
  const openPoll = (questionId: string) => link.send((s) => s.emitWithAck('study:poll:open', { sessionId: sid(), questionId }));
  const closePoll = () => link.send((s) => s.emitWithAck('study:poll:close', { sessionId: sid() }));

  /** Answers the open poll once; "submitted" only after the server's ack (a second answer means it already has one). */
  async function answer(value: AnswerValue) {
    const p = poll.value;
    if (!p || pollResult.value || submission.value?.status === 'sending' || submission.value?.status === 'acked') return;
    submission.value = { status: 'sending', value, pollId: p.pollId };
    try {
      await link.send((s) => s.emitWithAck('study:poll:answer', { sessionId: p.sessionId, pollId: p.pollId, answer: value }));
      submission.value = { status: 'acked', value, pollId: p.pollId };
    } catch (e) {
      const code = (e as { code?: string }).code;
      submission.value =
        code === 'ALREADY_ANSWERED'
          ? { status: 'acked', value, pollId: p.pollId, elsewhere: true }
          : { status: 'failed', value, pollId: p.pollId, message: (e as Error).message };
    }
  }

  /** Follower: looks at another page on their own; landing on the presenter's page follows again. */
  function browse(target: number) {
    const count = state.value?.pageCount ?? 0;
    if (target < 0 || target >= count) return;
    ownPage.value = target === presenterPage.value ? null : target;
  }

  /** Back to the presenter's page in one tap. */
  function followPresenter() {
    ownPage.value = null;
  }

  function reset() {
    role.value = null;
    state.value = null;
    presence.value = null;
    roster.value = null;
    poll.value = null;
    pollResult.value = null;
    submission.value = null;
    ownPage.value = null;
    ended.value = null;
  }

  /** Leaves the screen: closes the socket (the server closes this device's stay) and forgets the session. */
  function leave() {
    document.removeEventListener('visibilitychange', onVisibility);
    link.close();
    sessionId.value = null;
    reset();
  }

  return {
    connection,
    sessionId,
    role,
    state,
    presence,
    roster,
    poll,
    pollResult,
    pollAnswered,
    submission,
    ownPage,
    ended,
    presenterPage,
    page,
    following,
    presenting,
    join,
    start,
    end,
    goto,
    handOver,
    openPoll,
    closePoll,
    answer,
    browse,
    followPresenter,
    leave,
  };
});
