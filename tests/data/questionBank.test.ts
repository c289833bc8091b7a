import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { questionContentSchema } from '../../shared/schemas/questions';
import { normaliseForCompare } from '../../shared/text';

const dir = path.resolve(import.meta.dirname, '../../data/question-bank');
const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
const bank = files.flatMap((f) => (JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as unknown[]).map((q, i) => ({ file: f, i, q })));

describe('starter question bank (data/question-bank)', () => {
  it('holds at least 300 questions of all four types', () => {
    expect(bank.length).toBeGreaterThanOrEqual(300);
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
});
