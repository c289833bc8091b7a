import { describe, expect, it } from 'vitest';
import { createSubmission, type AnswerValue } from '../../client/src/live/submission';

/** A socket stand-in for the submission's three needs: connected or not, an emit whose ack the test settles, and a rejoin counter. */
function harness() {
  let up = true;
  let rejoins = 0;
  const sent: { index: number; answer: AnswerValue; settle(error?: string | null): void }[] = [];
  const sub = createSubmission({
    connected: () => up,
    emit: (input) =>
      new Promise<void>((resolve, reject) => {
        sent.push({ ...input, settle: (error) => (error === undefined ? resolve() : reject(Object.assign(new Error(error ?? 'timeout'), error ? { code: error } : {}))) });
      }),
    seatLost: () => rejoins++,
  });
  const tick = () => new Promise((r) => setTimeout(r, 0));
  return { sub, sent, tick, setUp: (v: boolean) => (up = v), rejoins: () => rejoins };
}

describe('an answer from tap to ack (issue 9 item 2)', () => {
  it('shows "acked" only after the server acks; a second tap on the same question sends nothing', async () => {
    const { sub, sent, tick } = harness();
    const done = sub.submit('g1', 0, 2);
    expect(sub.state.value).toEqual({ index: 0, value: 2, status: 'sending' });
    void sub.submit('g1', 0, 3);
    expect(sent).toHaveLength(1);
    sent[0]!.settle();
    await done;
    await tick();
    expect(sub.state.value?.status).toBe('acked');
  });

  it('offline: kept as "waiting", not sent; sent once the seat is back and the same question is open', async () => {
    const { sub, sent, setUp, tick } = harness();
    setUp(false);
    await sub.submit('g1', 0, [0, 2]);
    expect(sub.state.value).toEqual({ index: 0, value: [0, 2], status: 'waiting' });
    expect(sent).toHaveLength(0);
    sub.flush('g1', 0); // still offline: nothing
    expect(sent).toHaveLength(0);
    setUp(true);
    sub.flush('g1', 0);
    expect(sent.map((s) => s.answer)).toEqual([[0, 2]]);
    sent[0]!.settle();
    await tick();
    expect(sub.state.value?.status).toBe('acked');
  });

  it('a drop while the answer is on its way: back to "waiting", and the old attempt\'s late ack does not count', async () => {
    const { sub, sent, setUp, tick } = harness();
    void sub.submit('g1', 1, 0);
    setUp(false);
    sub.disconnected();
    expect(sub.state.value?.status).toBe('waiting');
    sent[0]!.settle(null); // the old attempt times out later
    await tick();
    expect(sub.state.value?.status).toBe('waiting');
    setUp(true);
    sub.flush('g1', 1);
    sent[1]!.settle('ALREADY_ANSWERED'); // the first try had got through after all
    await tick();
    expect(sub.state.value).toEqual({ index: 1, value: 0, status: 'acked' });
  });

  it('the question closed before the connection came back: "lost", and TOO_LATE says the same', async () => {
    const { sub, sent, setUp, tick } = harness();
    setUp(false);
    await sub.submit('g1', 0, 1);
    sub.closed(0);
    expect(sub.state.value?.status).toBe('lost');
    setUp(true);
    sub.flush('g1', 0);
    expect(sent).toHaveLength(0);

    sub.clear();
    void sub.submit('g1', 1, 1);
    sent[0]!.settle('TOO_LATE');
    await tick();
    expect(sub.state.value?.status).toBe('lost');
  });

  it('a refusal for a socket with no seat keeps the answer and asks for one rejoin, never a loop', async () => {
    const { sub, sent, tick, rejoins } = harness();
    void sub.submit('g1', 0, 1);
    sent[0]!.settle('UNAUTHENTICATED');
    await tick();
    expect(sub.state.value?.status).toBe('waiting');
    expect(rejoins()).toBe(1);
    sub.flush('g1', 0);
    sent[1]!.settle('UNAUTHENTICATED');
    await tick();
    expect(rejoins()).toBe(1);
  });

  it('the server\'s result is the last word: an answer it recorded is "acked" with its value; a new question drops an unsent one as "lost"', async () => {
    const { sub, setUp } = harness();
    setUp(false);
    await sub.submit('g1', 0, 3);
    sub.resultArrived(0, 3);
    expect(sub.state.value).toEqual({ index: 0, value: 3, status: 'acked' });

    await sub.submit('g1', 1, 2); // waiting
    sub.moveTo(2);
    expect(sub.state.value).toEqual({ index: 1, value: 2, status: 'lost' });
    sub.takenBeforeJoin(2);
    expect(sub.state.value).toEqual({ index: 2, value: null, status: 'acked' });
  });

  it('a refusal for its shape or rate clears the answer so the player may answer again', async () => {
    const { sub, sent, tick } = harness();
    const done = sub.submit('g1', 0, 9).catch((e: { code?: string }) => e.code);
    sent[0]!.settle('INVALID_INPUT');
    expect(await done).toBe('INVALID_INPUT');
    await tick();
    expect(sub.state.value).toBeNull();
  });
});
