import type { PublicQuestion } from '../../../shared/schemas/live';

/** The question a screen shows, open or revealed; `question:open` and `question:close` both carry it. */
export interface ShownQuestion {
  index: number;
  question: PublicQuestion;
}
