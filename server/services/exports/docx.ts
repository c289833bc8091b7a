import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';

/**
 * The one Word (.docx) writer the exports use (meeting records today; the ledger's printable forms next).
 * A document is a list of blocks; text is passed as runs, never parsed, so nothing a user typed can become a field
 * code or markup.
 */
export type DocBlock =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** Label/value pairs in a two-column table: the form part of a record. */
  | { kind: 'fields'; rows: [string, string][] }
  | { kind: 'table'; header: string[]; rows: string[][] };

/** Word breaks lines on \n only inside runs with explicit breaks. */
const runs = (text: string, bold = false) => text.split('\n').map((line, i) => new TextRun({ text: line, bold, break: i > 0 ? 1 : 0 }));
const cell = (text: string, bold = false, widthPct?: number) =>
  new TableCell({ children: [new Paragraph({ children: runs(text, bold) })], ...(widthPct ? { width: { size: widthPct, type: WidthType.PERCENTAGE } } : {}) });

function render(block: DocBlock): Paragraph | Table {
  switch (block.kind) {
    case 'title':
      return new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: runs(block.text, true) });
    case 'heading':
      return new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs(block.text, true) });
    case 'paragraph':
      return new Paragraph({ children: runs(block.text) });
    case 'fields':
      return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: block.rows.map(([label, value]) => new TableRow({ children: [cell(label, true, 22), cell(value)] })) });
    case 'table':
      return new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [new TableRow({ tableHeader: true, children: block.header.map((h) => cell(h, true)) }), ...block.rows.map((r) => new TableRow({ children: r.map((c) => cell(c)) }))],
      });
  }
}

export async function writeDocx(blocks: DocBlock[], title: string): Promise<Buffer> {
  const children = blocks.flatMap((b) => (b.kind === 'paragraph' || b.kind === 'title' || b.kind === 'heading' ? [render(b)] : [render(b), new Paragraph('')]));
  const doc = new Document({
    title,
    styles: { default: { document: { run: { font: 'SimSun', size: 24 } } } },
    sections: [{ children }],
  });
  return Packer.toBuffer(doc);
}

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
