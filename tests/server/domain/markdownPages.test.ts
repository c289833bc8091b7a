import { describe, expect, it } from 'vitest';
import { splitMarkdownPages } from '../../../shared/markdownPages';

describe('Markdown study material pages', () => {
  it('splits on --- lines and drops the separators', () => {
    expect(splitMarkdownPages('# 总纲\n第一段\n---\n第二页\n\n---\n第三页')).toEqual(['# 总纲\n第一段', '第二页', '第三页']);
  });

  it('without --- splits before every # or ## heading, keeping text before the first heading as a page', () => {
    expect(splitMarkdownPages('前言\n# 第一章\n甲\n## 第一节\n乙\n### 小标题不分页\n丙')).toEqual(['前言', '# 第一章\n甲', '## 第一节\n乙\n### 小标题不分页\n丙']);
  });

  it('--- takes precedence over headings: headings then stay inside their page', () => {
    expect(splitMarkdownPages('# 一\n甲\n# 二\n---\n# 三')).toEqual(['# 一\n甲\n# 二', '# 三']);
  });

  it('never splits inside a fenced code block', () => {
    const src = '第一页\n```\n---\n# 不是标题\n```\n---\n第二页';
    expect(splitMarkdownPages(src)).toEqual(['第一页\n```\n---\n# 不是标题\n```', '第二页']);
  });

  it('drops empty pages, handles CRLF, and an empty material has one empty page', () => {
    expect(splitMarkdownPages('---\r\n甲\r\n---\r\n\r\n---\r\n乙\r\n---')).toEqual(['甲', '乙']);
    expect(splitMarkdownPages('')).toEqual(['']);
    expect(splitMarkdownPages('只有一段')).toEqual(['只有一段']);
  });

  it('a #hashtag without a space is not a heading', () => {
    expect(splitMarkdownPages('甲\n#标签\n乙')).toEqual(['甲\n#标签\n乙']);
  });
});
