import type { QuestionType } from '../../../shared/schemas/questions';

/**
 * How an option is marked: a letter, a shape and a colour, so no one depends on colour alone
 * (colour-blind members, greyscale projectors). Index = option index as sent in `question:open`.
 */
export interface OptionMark {
  letter: string;
  shape: string;
  color: string;
}

const SHAPES = ['▲', '◆', '●', '■', '★', '⬟', '✚', '⬢'];
// Dark enough for white text at WCAG AA on every one.
const COLORS = ['#c0392b', '#1f5fa8', '#9a6700', '#1e7b3a', '#6c3fa0', '#0b6e75', '#a3306b', '#6b4f2a'];

export function optionMark(index: number): OptionMark {
  return { letter: String.fromCharCode(65 + index), shape: SHAPES[index % SHAPES.length]!, color: COLORS[index % COLORS.length]! };
}

/** A correct answer as shown: "A. text" for single, "A、C" for multiple, the option text for judge, the accepted words for blank. */
export function answerText(answer: number | number[] | string[], options: string[], type: QuestionType): string {
  if (type === 'blank') return (answer as string[]).join(' / ');
  if (type === 'judge') return options[answer as number] ?? '';
  if (typeof answer === 'number') return `${optionMark(answer).letter}. ${options[answer] ?? ''}`;
  return (answer as number[]).map((i) => optionMark(i).letter).join('、');
}

/** What a player chose, as shown: "B. text" for single, "A、C" for multiple, the option text for judge, the words for blank. */
export function choiceText(value: number | number[] | string, options: string[], type: QuestionType): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map((i) => optionMark(i).letter).join('、');
  return type === 'judge' ? (options[value] ?? '') : `${optionMark(value).letter}. ${options[value] ?? ''}`;
}

/** A correct answer in short, for the projector where the bars already show each option's text: "A", "A、C", "正确", the words. */
export function answerKey(answer: number | number[] | string[], options: string[], type: QuestionType): string {
  if (type === 'blank') return (answer as string[]).join(' / ');
  if (type === 'judge') return options[answer as number] ?? '';
  return (typeof answer === 'number' ? [answer] : (answer as number[])).map((i) => optionMark(i).letter).join('、');
}
