import { computed } from 'vue';
import { usePlayerStore } from '../stores/player';
import { choiceText } from './optionMarks';

/** This player's answer as the phone shows it: to the question on screen, one that missed an earlier question, and the choice in words. */
export function usePlayerAnswer() {
  const player = usePlayerStore();
  /** The answer to the question on screen (sending, waiting, acked or lost), if any. */
  const mine = computed(() => (player.submission && player.submission.index === player.current?.index ? player.submission : null));
  /** An answer to an earlier question that never got through (the question ended while offline). */
  const missed = computed(() => (player.submission?.status === 'lost' && player.submission.index !== player.current?.index ? player.submission : null));
  /** What this player chose, from the server's result (after a reload) or from the phone: "B. text", "A、C", the words. */
  const chosen = computed(() => {
    const shown = player.current;
    const value = player.result ? player.result.answer : (mine.value?.value ?? null);
    return shown && value !== null ? choiceText(value, shown.question.options, shown.question.type) : null;
  });
  return { mine, missed, chosen };
}
