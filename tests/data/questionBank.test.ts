import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionContentSchema } from '../../shared/schemas/questions';
import { normaliseForCompare } from '../../shared/text';

const dir = path.resolve(import.meta.dirname, '../../data/question-bank');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const bank = files.flatMap((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown[]).map((q, i) => ({ file: f, i, q })));

/** The fields the balance checks read, as they are stored in the JSON files. */
interface Stored {
  type: string;
  text: string;
  options: string[];
  answer: number | number[] | string[];
  source?: string;
  tags?: string[];
}
const stored = bank.map(({ file, i, q }) => ({ at: `${file}[${i}]`, q: q as Stored }));
const LETTERS = 'ABCDEFGH';
const percent = (n: number, of: number) => `${Math.round((n / of) * 100)}%`;

describe('starter question bank (data/question-bank)', () => {
  // Issue 11: at 5 new questions a day, 800 last a member the better part of a year.
  it('holds at least 800 questions of all four types', () => {
    expect(bank.length).toBeGreaterThanOrEqual(800);
    const types = new Set(bank.map(({ q }) => (q as { type: string }).type));
    expect([...types].sort()).toEqual(['blank', 'judge', 'multiple', 'single']);
  });

  it('every question passes the question rules and carries a source, an explanation and a tag', () => {
    const problems: string[] = [];
    for (const { file, i, q } of bank) {
      const parsed = questionContentSchema.safeParse(q);
      if (!parsed.success) problems.push(`${file}[${i}]: ${parsed.error.issues.map((x) => `${x.path.join('.')} ${x.message}`).join('; ')}`);
      else if (!parsed.data.source || !parsed.data.explanation || parsed.data.tags.length === 0) problems.push(`${file}[${i}]: missing source/explanation/tags`);
    }
    expect(problems).toEqual([]);
  });

  it('has no two questions with the same normalised text', () => {
    const seen = new Map<string, string>();
    const dups: string[] = [];
    for (const { file, i, q } of bank) {
      const key = normaliseForCompare((q as { text: string }).text);
      if (seen.has(key)) dups.push(`${file}[${i}] repeats ${seen.get(key)}`);
      else seen.set(key, `${file}[${i}]`);
    }
    expect(dups).toEqual([]);
  });

  it('blank questions have exactly one blank', () => {
    const bad = bank.filter(({ q }) => (q as { type: string }).type === 'blank' && ((q as { text: string }).text.match(/____/g) ?? []).length !== 1);
    expect(bad.map(({ file, i }) => `${file}[${i}]`)).toEqual([]);
  });

  // A member who always taps A (or 正确) must not do well: the stored keys are spread over the positions.
  it('issue 9 item 9: no position holds more than 30 % of the keys of 4-option single-choice questions', () => {
    const keys = stored.filter(({ q }) => q.type === 'single' && q.options.length === 4).map(({ q }) => q.answer as number);
    expect(keys.length).toBeGreaterThanOrEqual(100);
    const over = [0, 1, 2, 3]
      .map((p) => ({ p, n: keys.filter((k) => k === p).length }))
      .filter(({ n }) => n / keys.length > 0.3)
      .map(({ p, n }) => `${LETTERS[p]}: ${n}/${keys.length} (${percent(n, keys.length)})`);
    expect(over).toEqual([]);
  });

  it('issue 9 item 9: the wrong options of multiple-choice questions are spread over the positions', () => {
    const over: string[] = [];
    const sizes = new Set(stored.filter(({ q }) => q.type === 'multiple').map(({ q }) => q.options.length));
    for (const n of sizes) {
      const wrong = stored
        .filter(({ q }) => q.type === 'multiple' && q.options.length === n)
        .flatMap(({ q }) => q.options.map((_, p) => p).filter((p) => !(q.answer as number[]).includes(p)));
      // An even spread is 1/n per position; allow half as much again before calling it a pattern.
      for (let p = 0; p < n; p++) {
        const k = wrong.filter((w) => w === p).length;
        if (k / wrong.length > 1.5 / n) over.push(`${n} options, ${LETTERS[p]}: ${k}/${wrong.length} (${percent(k, wrong.length)})`);
      }
    }
    expect(over).toEqual([]);
  });

  it('issue 9 item 9: 正确 is the key of at most 60 % of judge questions', () => {
    const judge = stored.filter(({ q }) => q.type === 'judge');
    const truths = judge.filter(({ q }) => q.answer === 0).length;
    expect(judge.length).toBeGreaterThanOrEqual(50);
    expect(truths / judge.length, `正确 ${truths}/${judge.length} (${percent(truths, judge.length)})`).toBeLessThanOrEqual(0.6);
  });

  it('issue 9 item 9: every source names its document in 《》 (Party-history questions, citing no one document yet, name the event as 党史：…)', () => {
    const bad = stored.filter(({ q }) => {
      const source = q.source ?? '';
      if (q.tags?.includes('党史') && !source.includes('《')) return !/^党史：\S+/.test(source);
      return !/《[^《》]+》/.test(source);
    });
    expect(bad.map(({ at, q }) => `${at}: ${q.source ?? '(none)'}`)).toEqual([]);
  });

  it('issue 9 item 9: the 一大 delegates question asks for 各地代表, since the 13 include 周佛海 from Japan', () => {
    const delegates = stored.filter(({ q }) => q.type === 'blank' && q.text.includes('中共一大') && (q.answer as string[]).includes('13'));
    expect(delegates.map(({ q }) => q.text)).toEqual(['出席中共一大的各地代表共____人，代表全国50多名党员。']);
    expect(stored.filter(({ q }) => q.text.includes('国内各地')).map(({ at }) => at)).toEqual([]);
  });

  // Issue 11 ("enough to review for a year"): the further texts a branch studies, one file each. The minimums are
  // the counts checked against stored copies of the texts when the files were written; a file that loses questions
  // or a question that stops naming its document fails here.
  const FURTHER_TEXTS: [file: string, document: string, min: number][] = [
    ['recruitment.json', '《中国共产党发展党员工作细则》', 47],
    ['education-management.json', '《中国共产党党员教育管理工作条例》', 80],
    ['supervision.json', '《中国共产党党内监督条例》', 48],
    ['accountability.json', '《中国共产党问责条例》', 39],
    ['organisational-handling.json', '《中国共产党组织处理规定（试行）》', 23],
    ['congress-20.json', '在中国共产党第二十次全国代表大会上的报告》', 39],
    ['plenum-20-3.json', '《中共中央关于进一步全面深化改革、推进中国式现代化的决定》', 30],
    ['discipline-2.json', '《中国共产党纪律处分条例》', 43],
    ['constitution-chapters.json', '《中国共产党章程》', 37],
  ];
  it.each(FURTHER_TEXTS)('issue 11 content: %s holds its questions and each names %s', (file, document, min) => {
    const inFile = stored.filter(({ at }) => at.startsWith(`${file}[`));
    expect(inFile.length).toBeGreaterThanOrEqual(min);
    expect(inFile.filter(({ q }) => !(q.source ?? '').includes(document)).map(({ at }) => at)).toEqual([]);
  });

  it('issue 11 content: more 党史 (at least 63 history questions)', () => {
    expect(stored.filter(({ at }) => at.startsWith('history.json[')).length).toBeGreaterThanOrEqual(63);
  });

  it('issue 11 content: history-2.json adds further 党史 questions, each tagged 党史 and naming its event', () => {
    const inFile = stored.filter(({ at }) => at.startsWith('history-2.json['));
    expect(inFile.length).toBeGreaterThanOrEqual(78);
    expect(inFile.filter(({ q }) => !q.tags?.includes('党史') || !/^党史：\S+/.test(q.source ?? '')).map(({ at }) => at)).toEqual([]);
  });
});
