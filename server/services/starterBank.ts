import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { questionContentSchema, type QuestionContent } from '../../shared/schemas/questions';
import type { Clock } from '../infra/clock';
import type { Logger } from '../infra/logger';
import { newId } from '../store/ids';
import type { QuestionsStore } from '../store/questionsStore';

export const STARTER_BANK_DIR = path.resolve(process.cwd(), 'data/question-bank');

/** Reads every JSON file of the starter bank; a malformed entry stops the load with its file and index. */
export function readStarterBank(dir = STARTER_BANK_DIR): QuestionContent[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.flatMap((file) =>
    (JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as unknown[]).map((raw, i) => {
      const parsed = questionContentSchema.safeParse(raw);
      if (!parsed.success) throw new Error(`${file}[${i}]: ${parsed.error.issues[0]?.message}`);
      return parsed.data;
    }),
  );
}

/** Adds the starter questions whose text is not in the bank yet; returns how many were added. */
export async function loadStarterBank(questions: QuestionsStore, clock: Clock, dir = STARTER_BANK_DIR): Promise<number> {
  let added = 0;
  for (const content of readStarterBank(dir)) {
    if (await questions.findIdByText(content.text)) continue;
    const outcome = await questions.create({ id: newId(), createdBy: 'starter-bank' }, content, clock.now());
    if (outcome.ok) added++;
  }
  await questions.markSeeded(clock.now());
  return added;
}

/** First start only: an empty bank that was never used gets the starter questions. */
export async function seedBankOnFirstStart(questions: QuestionsStore, clock: Clock, logger: Logger): Promise<void> {
  if ((await questions.isSeeded()) || (await questions.count()) > 0) return;
  const added = await loadStarterBank(questions, clock);
  logger.info({ added }, 'loaded the starter question bank');
}
