import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { splitMarkdownPages } from '../../../shared/markdownPages';
import type { Clock } from '../../infra/clock';
import type { Logger } from '../../infra/logger';
import { newId } from '../../store/ids';
import type { MaterialsStore } from '../../store/study/materialsStore';

export const STARTER_MATERIALS_DIR = path.resolve(process.cwd(), 'data/materials');

export interface StarterMaterial {
  file: string;
  title: string;
  tags: string[];
  source: string;
  body: string;
}

/** A file is `---` front matter (title, tags: [a, b], source) then the Markdown body. */
export function parseStarterMaterial(file: string, text: string): StarterMaterial {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!match) throw new Error(`${file}: front matter missing`);
  const fields = new Map(
    match[1]!.split(/\r?\n/).map((line) => {
      const at = line.indexOf(':');
      return [line.slice(0, at).trim(), line.slice(at + 1).trim()] as const;
    }),
  );
  const title = fields.get('title');
  const source = fields.get('source');
  const tags = /^\[(.*)\]$/.exec(fields.get('tags') ?? '')?.[1];
  if (!title || !source || tags === undefined) throw new Error(`${file}: title, tags and source are required`);
  return { file, title, source, tags: tags.split(',').map((t) => t.trim()).filter(Boolean), body: match[2]!.trim() };
}

export function readStarterMaterials(dir = STARTER_MATERIALS_DIR): StarterMaterial[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => parseStarterMaterial(f, readFileSync(path.join(dir, f), 'utf8')));
}

/** First start only (like the starter bank): organisation-wide materials, each naming its source. */
export async function seedMaterialsOnFirstStart(store: MaterialsStore, clock: Clock, logger: Logger, dir = STARTER_MATERIALS_DIR): Promise<void> {
  if (!(await store.markSeeded())) return;
  let added = 0;
  for (const m of readStarterMaterials(dir)) {
    const saved = await store.save(
      { id: newId(), title: m.title, tags: m.tags, branchId: null, kind: 'markdown', pages: splitMarkdownPages(m.body).length, source: m.source, createdBy: 'starter-materials', updatedAt: clock.now(), file: null },
      m.body,
      0,
    );
    if (saved.ok) added++;
  }
  logger.info({ added }, 'loaded the starter study materials');
}
