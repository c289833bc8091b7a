import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { PracticeFinishResult, PracticeSitting } from '../../../shared/schemas/review';
import { api } from '../api';

const practicePath = (id: string) => `/review/practice/${encodeURIComponent(id)}`;

/**
 * Practice sittings (专项练习, 练习错题): started from the hub or the book and handed to the practice page, which
 * otherwise loads a sitting by the id in its route (a reload, a second device), and finishes it (结束练习).
 */
export const useReviewStore = defineStore('review', () => {
  /** The sitting just started, until the practice page takes it. */
  const started = shallowRef<PracticeSitting | null>(null);

  /** Starts a sitting and keeps it for the practice page (which would otherwise load it again). */
  async function startPractice(input: { tag?: string; order: 'sequential' | 'random'; fromWrongBook?: boolean }): Promise<PracticeSitting> {
    const res = await api<{ sitting: PracticeSitting }>('POST', '/review/practice', input);
    started.value = res.sitting;
    return res.sitting;
  }

  /** The sitting `id` as just started here (once: later visits load it fresh), or null. */
  function takeStarted(id: string): PracticeSitting | null {
    const s = started.value;
    started.value = null;
    return s && s.id === id ? s : null;
  }

  /** A sitting from the server, with the results of the items answered so far (on any device). */
  async function loadPractice(id: string): Promise<PracticeSitting> {
    return (await api<{ sitting: PracticeSitting }>('GET', practicePath(id))).sitting;
  }

  /** 结束练习: the sitting's summary; the server refuses answers to it from then on. */
  function finishPractice(id: string): Promise<PracticeFinishResult> {
    return api<PracticeFinishResult>('POST', `${practicePath(id)}/finish`);
  }

  return { started, startPractice, takeStarted, loadPractice, finishPractice };
});
