import { onMounted, ref } from 'vue';
import type { ListResult } from '../../../../shared/schemas/common';
import { api } from '../../api';
import type { BranchRow } from '../../types';

/** Branch names by id, loaded once on mount; an unknown id shows as ''. */
export function useBranchNames() {
  const names = ref(new Map<string, string>());
  onMounted(async () => {
    try {
      const res = await api<ListResult<BranchRow>>('GET', '/branches');
      names.value = new Map(res.items.map((b) => [b.id, b.name]));
    } catch {
      /* names are a nicety: ids stay readable enough */
    }
  });
  const nameOf = (id: string | null | undefined): string => (id ? (names.value.get(id) ?? '') : '');
  return { names, nameOf };
}
