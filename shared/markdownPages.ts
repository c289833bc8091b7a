/**
 * How a Markdown study material is cut into pages; the server counts pages with it and the editor's live preview
 * shows the same cut, so the two never disagree.
 * Rule: split on lines that are exactly `---` (a thematic break); with none, split before every `#` or `##` heading.
 * Lines inside fenced code blocks never split. Empty pages are dropped; a material always has at least one page.
 */

const FENCE = /^\s{0,3}(```|~~~)/;
const BREAK = /^\s{0,3}-{3,}\s*$/;
const HEADING = /^\s{0,3}#{1,2}\s/;

/** Calls `isCut(line)` on every line outside fenced code; returns the line numbers where a new page starts. */
function cutLines(lines: string[], isCut: (line: string) => boolean): number[] {
  const cuts: number[] = [];
  let fenced = false;
  lines.forEach((line, i) => {
    if (FENCE.test(line)) fenced = !fenced;
    else if (!fenced && isCut(line)) cuts.push(i);
  });
  return cuts;
}

export function splitMarkdownPages(source: string): string[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const breaks = cutLines(lines, (l) => BREAK.test(l));
  let pages: string[];
  if (breaks.length > 0) {
    // A `---` line is a separator, not content: it is dropped.
    pages = [];
    let from = 0;
    for (const b of breaks) {
      pages.push(lines.slice(from, b).join('\n'));
      from = b + 1;
    }
    pages.push(lines.slice(from).join('\n'));
  } else {
    const heads = cutLines(lines, (l) => HEADING.test(l)).filter((i) => i > 0);
    const starts = [0, ...heads];
    pages = starts.map((s, k) => lines.slice(s, starts[k + 1] ?? lines.length).join('\n'));
  }
  const kept = pages.map((p) => p.trim()).filter((p) => p !== '');
  return kept.length > 0 ? kept : [''];
}
