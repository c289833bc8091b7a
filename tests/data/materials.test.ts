import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitMarkdownPages } from '../../shared/markdownPages';

// The starter study materials (issue 10, "Study material"): Markdown files that the seed loads into Redis.
// These checks guard the shape the loader and the presenter view rely on; the wording itself was checked
// against stored copies of the official texts by hand (see the report that came with the files).

const dir = path.resolve(import.meta.dirname, '../../data/materials');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.md'))
  .sort();

interface Material {
  file: string;
  /** The raw `key: value` lines of the front matter, or null when the file has none. */
  meta: Record<string, string> | null;
  body: string;
}

/** Front matter is the block between a first line `---` and the next line `---`; everything after it is the body. */
function parse(file: string): Material {
  const text = readFileSync(path.join(dir, file), 'utf8').replace(/\r\n?/g, '\n');
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  if (!match) return { file, meta: null, body: text };
  const [, head = '', body = ''] = match;
  const meta: Record<string, string> = {};
  for (const line of head.split('\n')) {
    const [, key, value] = /^([a-z]+):\s*(.*)$/.exec(line) ?? [];
    if (key !== undefined && value !== undefined) meta[key] = value.trim();
  }
  return { file, meta, body };
}

/** `[党章, 党支部]` -> ['党章', '党支部']; null when the value is not a bracketed list. */
function tagList(value: string | undefined): string[] | null {
  const inner = /^\[(.*)\]$/.exec(value ?? '')?.[1];
  return inner === undefined ? null : inner.split(',').map((t) => t.trim());
}

const DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** Chinese numerals as used for article numbers (一 … 九十九). */
function numeral(s: string): number {
  const at = s.indexOf('十');
  if (at < 0) return DIGITS[s] ?? NaN;
  const tens = at === 0 ? 1 : (DIGITS[s.slice(0, at)] ?? NaN);
  const ones = at === s.length - 1 ? 0 : (DIGITS[s.slice(at + 1)] ?? NaN);
  return tens * 10 + ones;
}

/** Article numbers in the order they open a line (`第十二条` then a space or an ideographic space) -> 12. */
function articleNumbers(body: string): number[] {
  return [...body.matchAll(/^第([一二三四五六七八九十]+)条[\s\u3000]/gm)].map((m) => numeral(m[1] ?? ''));
}

const materials = files.map(parse);
const BRANCH_REGULATIONS = '《中国共产党支部工作条例（试行）》';

describe('starter study materials (data/materials)', () => {
  it('issue 10 starter materials: the folder holds the 党章 and 支部工作条例 materials', () => {
    const sources = materials.map((m) => m.meta?.source ?? '');
    expect(sources.some((s) => s.startsWith('《中国共产党章程》'))).toBe(true);
    expect(sources.some((s) => s.startsWith(BRANCH_REGULATIONS))).toBe(true);
  });

  it.each(files)('issue 10 starter materials: %s has a title, a tag list and a source naming the document', (file) => {
    const { meta } = parse(file);
    expect(meta, 'front matter').not.toBeNull();
    expect(meta?.title ?? '').not.toBe('');
    const tags = tagList(meta?.tags);
    expect(tags, 'tags as [a, b]').not.toBeNull();
    expect(tags?.length).toBeGreaterThan(0);
    expect(tags?.every((t) => t !== '')).toBe(true);
    expect(meta?.source ?? '').toMatch(/《[^》]+》/);
  });

  it.each(files)('issue 10 starter materials: %s cuts into at least two pages of at most 2,000 characters', (file) => {
    const { body } = parse(file);
    expect(body.trim()).not.toBe('');
    const pages = splitMarkdownPages(body);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const long = pages.map((p, i) => ({ i, n: [...p].length })).filter(({ n }) => n > 2000);
    expect(long).toEqual([]);
  });

  it.each(files)('issue 10 starter materials: %s has no HTML tags', (file) => {
    const { body } = parse(file);
    expect(body.match(/<\/?[A-Za-z!][^>]*>/g) ?? []).toEqual([]);
  });

  it('issue 10 starter materials: the 支部工作条例 articles run 第一条, 第二条, … without gaps', () => {
    const regs = materials.filter((m) => (m.meta?.source ?? '').startsWith(BRANCH_REGULATIONS));
    expect(regs.length).toBeGreaterThan(0);
    for (const m of regs) {
      const numbers = articleNumbers(m.body);
      expect(numbers.length, m.file).toBeGreaterThan(0);
      expect(numbers, m.file).toEqual(numbers.map((_, i) => i + 1));
    }
  });

  it('issue 10 starter materials: the numeral reader used by the article check reads 一 … 九十九', () => {
    expect(['一', '九', '十', '十一', '二十', '二十三', '四十二', '九十九'].map(numeral)).toEqual([1, 9, 10, 11, 20, 23, 42, 99]);
  });
});
