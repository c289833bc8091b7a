import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every file under client/src, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('issue 10: Markdown becomes HTML in one place only', () => {
  it('v-html appears in exactly one file under client/src, MarkdownView.vue, with the lint exception naming why', () => {
    const root = path.resolve('client/src');
    const withVHtml = files(root)
      .filter((f) => /\.(vue|ts|tsx|js)$/.test(f))
      .filter((f) => /\bv-html\b|innerHTML\s*=|\.insertAdjacentHTML\(|\bouterHTML\s*=/.test(readFileSync(f, 'utf8')))
      .map((f) => path.relative(root, f).split(path.sep).join('/'));
    expect(withVHtml).toEqual(['components/study/MarkdownView.vue']);

    const source = readFileSync(path.join(root, 'components/study/MarkdownView.vue'), 'utf8');
    // One binding, fed by renderMarkdown (markdown-it html:false + DOMPurify), behind a disable comment that says so.
    expect(source.match(/v-html="/g)).toHaveLength(1);
    expect(source).toMatch(/eslint-disable-next-line vue\/no-v-html -- .*DOMPurify/);
    expect(source).toMatch(/v-html="html"/);
    expect(source).toMatch(/renderMarkdown\(props\.source\)/);

    const renderer = readFileSync(path.join(root, 'components/study/renderMarkdown.ts'), 'utf8');
    expect(renderer).toMatch(/html:\s*false/);
    expect(renderer).toMatch(/purify\.sanitize\(md\.render\(/);
  });
});
