import type { z } from 'zod';
import { JUDGE_OPTIONS, type Question, type QuestionType, type questionContentSchema } from '../../../../shared/schemas/questions';

export const LETTERS = 'ABCDEFGH';
export const MIN_OPTIONS = 2;
export const MAX_OPTIONS = 8;
export const QUESTION_TYPES: QuestionType[] = ['single', 'multiple', 'judge', 'blank'];
export const DIFFICULTIES = [1, 2, 3] as const;

/** The letter members see on an option button: A, B, C … */
export const letter = (i: number) => LETTERS[i] ?? String(i + 1);

/** What the editor works on; turned into the API's question content by formToContent. */
export interface QuestionForm {
  type: QuestionType;
  text: string;
  /** Options for single and multiple; judge always uses JUDGE_OPTIONS, blank has none. */
  options: string[];
  /** Index of the right option (single, judge). */
  single: number | null;
  /** Indices of the right options (multiple). */
  multiple: number[];
  /** Accepted answers (blank). */
  blanks: string[];
  explanation: string;
  source: string;
  /** Tags as typed, separated by commas or 、. */
  tags: string;
  difficulty: number;
}

export type QuestionInput = z.input<typeof questionContentSchema>;

export function emptyQuestionForm(): QuestionForm {
  return { type: 'single', text: '', options: ['', '', '', ''], single: null, multiple: [], blanks: [''], explanation: '', source: '', tags: '', difficulty: 1 };
}

export function formFromQuestion(q: Question): QuestionForm {
  const f = emptyQuestionForm();
  f.type = q.type;
  f.text = q.text;
  f.explanation = q.explanation;
  f.source = q.source;
  f.tags = q.tags.join('、');
  f.difficulty = q.difficulty;
  if (q.type === 'single' || q.type === 'multiple') f.options = [...q.options];
  if (typeof q.answer === 'number') f.single = q.answer;
  else if (q.type === 'multiple') f.multiple = [...(q.answer as number[])];
  else if (q.type === 'blank') f.blanks = [...(q.answer as string[])];
  return f;
}

/** The options a member sees for the form's type. */
export function shownOptions(f: Pick<QuestionForm, 'type' | 'options'>): string[] {
  if (f.type === 'judge') return [...JUDGE_OPTIONS];
  if (f.type === 'blank') return [];
  return f.options;
}

export function splitTags(s: string): string[] {
  return [...new Set(s.split(/[,，、;；]/).map((x) => x.trim()).filter(Boolean))];
}

export function formToContent(f: QuestionForm): QuestionInput {
  const base = { type: f.type, text: f.text.trim(), explanation: f.explanation.trim(), source: f.source.trim(), tags: splitTags(f.tags), difficulty: f.difficulty };
  switch (f.type) {
    case 'single':
      return { ...base, options: f.options.map((o) => o.trim()), answer: f.single ?? -1 };
    case 'multiple':
      return { ...base, options: f.options.map((o) => o.trim()), answer: [...f.multiple].sort((a, b) => a - b) };
    case 'judge':
      return { ...base, options: [...JUDGE_OPTIONS], answer: f.single ?? -1 };
    case 'blank':
      return { ...base, options: [], answer: f.blanks.map((b) => b.trim()).filter(Boolean) };
  }
}

/** Switching type keeps what still fits: options move between single and multiple, the answer is reset otherwise. */
export function switchType(f: QuestionForm, type: QuestionType): void {
  if (f.type === type) return;
  const wasChoice = f.type === 'single' || f.type === 'multiple';
  if (type === 'single' && f.type === 'multiple') f.single = f.multiple.length === 1 ? f.multiple[0]! : null;
  else if (type === 'multiple' && f.type === 'single') f.multiple = f.single === null ? [] : [f.single];
  else f.single = null;
  if ((type === 'single' || type === 'multiple') && !wasChoice) f.options = ['', '', '', ''];
  f.type = type;
}

export function removeOption(f: QuestionForm, i: number): void {
  if (f.options.length <= MIN_OPTIONS) return;
  f.options.splice(i, 1);
  if (f.single !== null) f.single = f.single === i ? null : f.single > i ? f.single - 1 : f.single;
  f.multiple = f.multiple.filter((x) => x !== i).map((x) => (x > i ? x - 1 : x));
}

/** Field → message for what the browser can check before asking the server. Keys match the API's paths. */
export function checkForm(f: QuestionForm, t: (key: string) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.text.trim()) errors.text = t('bank.errors.text');
  if (f.type === 'single' || f.type === 'multiple') {
    const opts = f.options.map((o) => o.trim());
    if (opts.some((o) => !o)) errors.options = t('bank.errors.optionEmpty');
    else if (new Set(opts).size !== opts.length) errors.options = t('bank.errors.optionsDuplicate');
  }
  if ((f.type === 'single' || f.type === 'judge') && f.single === null) errors.answer = t('bank.errors.chooseAnswer');
  if (f.type === 'multiple' && f.multiple.length < 2) errors.answer = t('bank.errors.multipleMin');
  if (f.type === 'blank' && !f.blanks.some((b) => b.trim())) errors.answer = t('bank.errors.blankRequired');
  return errors;
}

/** The answer key in short: A, ACD, 正确, or the accepted answers joined by ' / '. */
export function answerText(q: Pick<Question, 'type' | 'options' | 'answer'>): string {
  if (q.type === 'blank') return (q.answer as string[]).join(' / ');
  if (q.type === 'judge') return q.options[q.answer as number] ?? '';
  const picks = Array.isArray(q.answer) ? (q.answer as number[]) : [q.answer as number];
  return picks.map(letter).join('');
}
