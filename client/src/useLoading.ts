import { ref } from 'vue';
import { errorMessage } from './api';

/**
 * A page's load: the task fills its own refs; this keeps the loading flag (true until the first load ends) and the
 * message to show when it fails.
 */
export function useLoading(task: () => Promise<void>) {
  const loading = ref(true);
  const error = ref('');
  async function load() {
    loading.value = true;
    error.value = '';
    try {
      await task();
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      loading.value = false;
    }
  }
  return { loading, error, load };
}
