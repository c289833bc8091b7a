import { defineStore } from 'pinia';
import { shallowRef } from 'vue';
import type { PracticeSitting } from '../../../shared/schemas/review';
import { api } from '../api';

/**
 * The practice sitting just started (专项练习 or 练习错题). The server has no GET for a sitting, so the practice
 * page takes it from here; a reload of that page starts over from the hub.
 */
export const useReviewStore = defineStore('review', () => {
  const sitting = shallowRef<PracticeSitting | null>(null);

  async function startPractice(input: { tag?: string; order: 'sequential' | 'random'; fromWrongBook?: boolean }): Promise<PracticeSitting> {
    const res = await api<{ sitting: PracticeSitting }>('POST', '/review/practice', input);
    sitting.value = res.sitting;
    return res.sitting;
  }

  return { sitting, startPractice };
});
