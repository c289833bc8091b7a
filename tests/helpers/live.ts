import type { Ack, ClientToServerEvents } from '../../shared/events';
import type { ApiClient } from './api';
import { connected, liveSocket, type LiveClient } from './sockets';

/** Sends a command and resolves with its ack. */
export function command<T extends object = Record<string, unknown>>(socket: LiveClient, event: keyof ClientToServerEvents, payload: unknown, timeoutMs = 5000): Promise<Ack<T>> {
  return (socket.timeout(timeoutMs) as unknown as { emitWithAck(e: string, p: unknown): Promise<Ack<T>> }).emitWithAck(event, payload);
}

/** Sends a command that must succeed and returns its data. */
export async function ok<T extends object = Record<string, unknown>>(socket: LiveClient, event: keyof ClientToServerEvents, payload: unknown): Promise<T & { ok: true }> {
  const ack = await command<T>(socket, event, payload);
  if (!ack.ok) throw new Error(`${String(event)} failed: ${ack.error.code} ${ack.error.message}`);
  return ack;
}

export const errorCode = (ack: Ack) => (ack.ok ? 'OK' : ack.error.code);

export async function openSocket(url: string, client?: ApiClient): Promise<LiveClient> {
  const s = liveSocket(url, client ? { cookie: client.cookie } : {});
  await connected(s);
  return s;
}

/** Questions of each type, and a quiz of them; returns the quiz id and the questions as created. */
export async function seedQuiz(admin: ApiClient, title = '竞答测试', timeLimitSec = 20, extra: Record<string, unknown> = {}) {
  const inputs = [
    { type: 'single', text: `${title}：党的最高领导机关是？`, options: ['全国代表大会和它所产生的中央委员会', '中央纪律检查委员会', '中央军事委员会', '中央书记处'], answer: 0, explanation: '党章规定。', source: '《中国共产党章程》', tags: ['党章'] },
    { type: 'multiple', text: `${title}：以下哪些是党的纪律？`, options: ['政治纪律', '组织纪律', '廉洁纪律', '天气纪律'], answer: [0, 1, 2], explanation: '六项纪律。', source: '《中国共产党纪律处分条例》', tags: ['纪律处分条例'] },
    { type: 'judge', text: `${title}：党员必须履行党员义务。`, options: ['正确', '错误'], answer: 0, explanation: '党章规定。', source: '《中国共产党章程》', tags: ['党章'] },
    { type: 'blank', text: `${title}：党的根本宗旨是全心全意为____服务。`, options: [], answer: ['人民'], explanation: '党章总纲。', source: '《中国共产党章程》', tags: ['党章'] },
  ];
  const questions = [];
  for (const q of inputs) {
    const res = await admin.post('/api/questions', q);
    if (res.status !== 201) throw new Error(`question: ${JSON.stringify(res.body)}`);
    questions.push(res.body.question);
  }
  // Tests tap options by position: the stored order, unless a test asks for shuffling (the default since issue 9 item 9).
  const quiz = await admin.post('/api/quizzes', { title, questionIds: questions.map((q) => q.id), timeLimitSec, shuffleOptions: false, ...extra });
  if (quiz.status !== 201) throw new Error(`quiz: ${JSON.stringify(quiz.body)}`);
  return { quizId: quiz.body.quiz.id as string, questions };
}
