import type { Question, QuestionType } from '../../../../shared/schemas/questions';
import type { DrawRule, Quiz } from '../../../../shared/schemas/quizzes';

/** A question in the quiz; `question` is null when it is no longer in the bank. */
export interface ChosenQuestion {
  id: string;
  question: Question | null;
}

/** The optional random-draw rule of a quiz, as edited. */
export interface DrawForm {
  enabled: boolean;
  count: number;
  tags: string[];
  types: QuestionType[];
  difficulty: number | '';
}

export const TIME_MIN = 5;
export const TIME_MAX = 300;

/** The quiz fields other than its questions, as edited. */
export interface QuizForm {
  title: string;
  description: string;
  timeLimitSec: number;
  shuffleOptions: boolean;
  /** '' means organisation-wide (admins only choose). */
  branchId: string;
}

export function emptyQuizForm(): QuizForm {
  // Shuffled unless the host turns it off, as the server does when the field is left out.
  return { title: '', description: '', timeLimitSec: 20, shuffleOptions: true, branchId: '' };
}

export function quizFormOf(q: Quiz): QuizForm {
  return { title: q.title, description: q.description, timeLimitSec: q.timeLimitSec, shuffleOptions: q.shuffleOptions, branchId: q.branchId ?? '' };
}

export function emptyDraw(): DrawForm {
  return { enabled: false, count: 5, tags: [], types: [], difficulty: '' };
}

export function drawFormOf(d: DrawRule | null): DrawForm {
  if (!d) return emptyDraw();
  return { enabled: true, count: d.count, tags: [...(d.tags ?? [])], types: [...(d.types ?? [])], difficulty: d.difficulty ?? '' };
}

export function drawRuleOf(d: DrawForm): DrawRule | undefined {
  if (!d.enabled) return undefined;
  const rule: DrawRule = { count: Number(d.count) };
  if (d.tags.length) rule.tags = d.tags;
  if (d.types.length) rule.types = d.types;
  if (d.difficulty !== '') rule.difficulty = Number(d.difficulty);
  return rule;
}

/** The body of POST/PUT /api/quizzes. Secretaries never send branchId (the server uses their own). */
export function quizBody(f: QuizForm, questionIds: string[], draw: DrawForm, isAdmin: boolean) {
  return {
    title: f.title.trim(),
    description: f.description.trim(),
    questionIds,
    draw: drawRuleOf(draw),
    timeLimitSec: Number(f.timeLimitSec),
    shuffleOptions: f.shuffleOptions,
    ...(isAdmin ? { branchId: f.branchId || null } : {}),
  };
}

/** Field → message for what the browser can check first; keys match the API's paths. */
export function checkQuiz(f: QuizForm, questionCount: number, draw: DrawForm, t: (key: string) => string): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!f.title.trim()) errors.title = t('quiz.errors.title');
  const sec = Number(f.timeLimitSec);
  if (!Number.isInteger(sec) || sec < TIME_MIN || sec > TIME_MAX) errors.timeLimitSec = t('quiz.errors.timeLimit');
  const count = Number(draw.count);
  if (draw.enabled && (!Number.isInteger(count) || count < 1 || count > 200)) errors.draw = t('quiz.errors.drawCount');
  if (!questionCount && !draw.enabled) errors.questionIds = t('quiz.errors.needQuestions');
  return errors;
}

/** "标签：党章、党史；单选/多选；难度：易" for a draw rule's filters. */
export function drawFilters(d: DrawRule, t: (key: string) => string): string {
  const parts: string[] = [];
  if (d.tags?.length) parts.push(`${t('bank.tags')}：${d.tags.join('、')}`);
  if (d.types?.length) parts.push(d.types.map((x: QuestionType) => t(`bank.typesShort.${x}`)).join('/'));
  if (d.difficulty) parts.push(`${t('bank.difficulty')}：${t(`bank.difficulties.${d.difficulty}`)}`);
  return parts.join('；');
}
