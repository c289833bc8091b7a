import { JUDGE_OPTIONS, type QuestionContent, type QuestionType } from '../../shared/schemas/questions';
import { locateColumns } from './table';

const LETTERS = 'ABCDEFGH';

/** Questions one import takes at most (a whole bank; the starter bank holds a few hundred). */
export const MAX_QUESTION_IMPORT_ROWS = 20_000;

/** The column layout Chinese question banks commonly use; the export writes exactly this header. */
export const QUESTION_SHEET_HEADER = ['题型', '题干', ...[...LETTERS].map((l) => `选项${l}`), '答案', '解析', '出处', '标签', '难度'];

const COLUMN_ALIASES = {
  type: ['题型', 'type', '类型'],
  text: ['题干', 'text', '题目', '试题内容'],
  ...Object.fromEntries([...LETTERS].map((l) => [`option${l}`, [`选项${l}`, `option${l}`, l]])),
  answer: ['答案', 'answer', '正确答案', '标准答案'],
  explanation: ['解析', 'explanation', '答案解析'],
  source: ['出处', 'source', '来源'],
  tags: ['标签', 'tags', '分类'],
  difficulty: ['难度', 'difficulty'],
} as Record<string, string[]>;

export type QuestionColumns = Record<string, number>;
export const locateQuestionColumns = (headers: string[]): QuestionColumns => locateColumns(headers, COLUMN_ALIASES);

const TYPE_NAMES: Record<string, QuestionType> = {
  单选: 'single', 单项选择: 'single', single: 'single',
  多选: 'multiple', 多项选择: 'multiple', multiple: 'multiple',
  判断: 'judge', judge: 'judge',
  填空: 'blank', blank: 'blank',
};

export function parseQuestionType(cell: string): QuestionType | null {
  const v = cell.trim().toLowerCase().replace(/题$/, '');
  return TYPE_NAMES[v] ?? null;
}

const TRUE_WORDS = ['对', '正确', '√', '✓', 't', 'true', 'y', '是'];
const FALSE_WORDS = ['错', '错误', '×', '✗', 'x', 'f', 'false', 'n', '否'];

/** Exports prefix formula-like cells with a quote; imports take it off again so a round trip keeps the text. */
export const unNeutralise = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);

/** Turns one sheet row into question content (still to be validated by the shared schema), or says what is wrong. */
export function rowToQuestion(cells: string[], cols: QuestionColumns): { content: unknown } | { error: string } {
  const cell = (name: string) => {
    const i = cols[name] ?? -1;
    return i >= 0 ? unNeutralise((cells[i] ?? '').trim()) : '';
  };
  const type = parseQuestionType(cell('type'));
  if (!type) return { error: `题型“${cell('type')}”无法识别，请填写单选、多选、判断或填空` };
  const options = type === 'judge' ? [...JUDGE_OPTIONS] : type === 'blank' ? [] : [...LETTERS].map((l) => cell(`option${l}`)).filter((o) => o !== '');
  const raw = cell('answer');
  let answer: number | number[] | string[];
  if (type === 'judge') {
    const v = raw.toLowerCase();
    if (TRUE_WORDS.includes(v)) answer = 0;
    else if (FALSE_WORDS.includes(v)) answer = 1;
    else return { error: `判断题答案“${raw}”无法识别，请填写 对/错（正确/错误、√/×）` };
  } else if (type === 'blank') {
    answer = raw.split('|').map((s) => s.trim()).filter(Boolean);
    if (answer.length === 0) return { error: '填空题缺少答案' };
  } else {
    const letters = raw.toUpperCase().replace(/[\s,，、;；]/g, '');
    if (!/^[A-H]+$/.test(letters)) return { error: `答案“${raw}”应为选项字母，如 A 或 ABD` };
    const indices = [...letters].map((l) => LETTERS.indexOf(l));
    answer = type === 'single' ? (indices.length === 1 ? indices[0]! : -1) : indices.sort((a, b) => a - b);
    if (answer === -1) return { error: '单选题只能有一个答案' };
  }
  const difficultyCell = cell('difficulty');
  return {
    content: {
      type,
      text: cell('text'),
      options,
      answer,
      explanation: cell('explanation'),
      source: cell('source'),
      tags: cell('tags').split(/[,，、]/).map((t) => t.trim()).filter(Boolean),
      difficulty: difficultyCell === '' ? 1 : Number(difficultyCell),
    },
  };
}

/** One export row in QUESTION_SHEET_HEADER order. */
export function questionToRow(q: QuestionContent): string[] {
  const options = [...LETTERS].map((_, i) => (q.type === 'judge' || q.type === 'blank' ? '' : (q.options[i] ?? '')));
  const typeName = { single: '单选', multiple: '多选', judge: '判断', blank: '填空' }[q.type];
  const answer =
    q.type === 'judge' ? (q.answer === 0 ? '对' : '错')
    : q.type === 'blank' ? (q.answer as string[]).join('|')
    : (Array.isArray(q.answer) ? (q.answer as number[]) : [q.answer as number]).map((i) => LETTERS[i]).join('');
  return [typeName, q.text, ...options, answer, q.explanation, q.source, q.tags.join('、'), String(q.difficulty)];
}
