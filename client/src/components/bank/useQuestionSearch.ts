import { onBeforeUnmount, reactive, ref, watch } from 'vue';
import type { ListResult } from '../../../../shared/schemas/common';
import type { Question, QuestionType } from '../../../../shared/schemas/questions';
import { api, errorMessage, query } from '../../api';

export interface QuestionFilters {
  q: string;
  type: QuestionType | '';
  tag: string;
  difficulty: number | '';
}

/** Searches and pages through GET /api/questions; shared by the bank table and the quiz picker. */
export function useQuestionSearch(pageSize: number, onError: (message: string) => void) {
  const filters = reactive<QuestionFilters>({ q: '', type: '', tag: '', difficulty: '' });
  const page = ref(1);
  const items = ref<Question[]>([]);
  const total = ref(0);
  const loading = ref(false);
  let seq = 0;

  async function load(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const params = { q: filters.q.trim() || undefined, type: filters.type, tag: filters.tag, difficulty: filters.difficulty, page: page.value, pageSize };
      const res = await api<ListResult<Question>>('GET', `/questions${query(params)}`);
      if (mine !== seq) return;
      // Deleting the last rows of the last page leaves it empty: step back.
      if (res.items.length === 0 && res.total > 0 && page.value > 1) {
        page.value = Math.ceil(res.total / pageSize);
        return;
      }
      items.value = res.items;
      total.value = res.total;
    } catch (e) {
      if (mine === seq) onError(errorMessage(e));
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  watch(
    () => filters.q,
    () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (page.value === 1) void load();
        else page.value = 1;
      }, 300);
    },
  );
  watch(
    () => [filters.type, filters.tag, filters.difficulty],
    () => {
      if (page.value === 1) void load();
      else page.value = 1;
    },
  );
  watch(page, () => void load());
  onBeforeUnmount(() => clearTimeout(timer));

  return { filters, page, pageSize, items, total, loading, load };
}
