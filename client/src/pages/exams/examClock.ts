/**
 * One estimate of the server's clock (epoch ms now), for the exam countdown: the `Date` header of a small request
 * against the midpoint of its round trip. A phone's clock can be minutes off; the header is good to about half a
 * second, plenty for a limit in minutes (the server enforces the deadline anyway). null: no estimate.
 */
export async function estimateServerNow(): Promise<number | null> {
  try {
    const sent = Date.now();
    const res = await fetch('/api/me', { method: 'HEAD', credentials: 'same-origin', cache: 'no-store' });
    const received = Date.now();
    const date = Date.parse(res.headers.get('Date') ?? '');
    if (!Number.isFinite(date)) return null;
    // The header is cut to the whole second: the middle of that second, at the middle of the round trip.
    return date + 500 + (Date.now() - (sent + received) / 2);
  } catch {
    return null;
  }
}

/** "mm:ss" (or "h:mm:ss") of a number of seconds. */
export function clockText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
