import { ref, shallowRef, watch, type Ref } from 'vue';
import type { Material, StudySession } from '../../../shared/schemas/study';
import { api, errorMessage } from '../api';

/**
 * The session's REST side for a study screen: the session (title, kind, branch) and the material the live state
 * names, fetched once per id. The page number itself comes from the socket.
 */
export function useStudyMaterial(sessionId: Ref<string>, materialId: Ref<string | null | undefined>) {
  /** The planned session as GET /api/study-sessions/:id answers it. */
  const session = shallowRef<StudySession | null>(null);
  /** The material shown (a Markdown one with its body); null when none is chosen or not yet loaded. */
  const material = shallowRef<Material | null>(null);
  const loading = ref(false);
  /** Why the material could not be loaded. */
  const error = ref<string | null>(null);

  async function loadSession() {
    try {
      session.value = (await api<{ session: StudySession }>('GET', `/study-sessions/${encodeURIComponent(sessionId.value)}`)).session;
    } catch {
      session.value = null;
    }
  }

  watch(sessionId, () => void loadSession(), { immediate: true });
  watch(
    materialId,
    async (id) => {
      if (!id || material.value?.id === id) return;
      loading.value = true;
      error.value = null;
      try {
        material.value = (await api<{ material: Material }>('GET', `/materials/${encodeURIComponent(id)}`)).material;
      } catch (e) {
        error.value = errorMessage(e);
      } finally {
        loading.value = false;
      }
    },
    { immediate: true },
  );

  return { session, material, loading, error, reloadSession: loadSession };
}
