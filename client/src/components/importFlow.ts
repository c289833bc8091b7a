import { ref, watch, type Ref } from 'vue';
import { api, errorMessage } from '../api';

/** An import dialog's steps: pick a file, see the dry run's report, then the real import's result. */
export type ImportStage = 'pick' | 'report' | 'done';

/**
 * The flow both import dialogs share: the file, a dry run (`?dryRun=1`), the confirmed import, errors and busy state.
 * Starts over whenever the dialog opens. `T` is what the import route answers.
 */
export function useImportFlow<T>(show: Ref<boolean>, path: string, onImported: () => void) {
  const stage = ref<ImportStage>('pick');
  const file = ref<File | null>(null);
  /** The dry run's answer, and the real import's. */
  const report = ref<T | null>(null) as Ref<T | null>;
  const result = ref<T | null>(null) as Ref<T | null>;
  const error = ref('');
  const busy = ref(false);

  function reset() {
    stage.value = 'pick';
    file.value = null;
    report.value = null;
    result.value = null;
    error.value = '';
  }
  watch(show, (open) => {
    if (open) reset();
  });

  function pick(chosen: File | null) {
    file.value = chosen;
    error.value = '';
  }

  async function run(dryRun: boolean) {
    if (!file.value) return;
    busy.value = true;
    error.value = '';
    try {
      const form = new FormData();
      form.append('file', file.value);
      const answer = await api<T>('POST', `${path}${dryRun ? '?dryRun=1' : ''}`, form);
      if (dryRun) {
        report.value = answer;
        stage.value = 'report';
      } else {
        result.value = answer;
        stage.value = 'done';
        onImported();
      }
    } catch (e) {
      error.value = errorMessage(e);
    } finally {
      busy.value = false;
    }
  }

  return { stage, file, report, result, error, busy, reset, pick, dryRun: () => run(true), confirm: () => run(false) };
}
