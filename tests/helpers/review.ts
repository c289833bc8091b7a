import type { RedisClient } from '../../server/infra/redis';

/** Self review test helpers (issue 11): the honesty check on payloads and a digest of the review's Redis keys. */

/** Every key of a payload outside `result` subtrees (a result is only there once the member has answered). */
export function keysOutsideResults(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => keysOutsideResults(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => (k === 'result' ? [] : [`${path}.${k}`, ...keysOutsideResults(v, `${path}.${k}`)]));
}

/** The keys of a review payload that would give away an answer before it is given. */
export const leakedKeys = (payload: unknown) => keysOutsideResults(payload).filter((k) => /\.(answer|correctAnswer|explanation|source)$/.test(k));

const REVIEW_SNAPSHOT_LUA = `
local out = {}
for _, pattern in ipairs({'{review:*', 'review:*'}) do
  local found = redis.call('KEYS', pattern)
  table.sort(found)
  for _, k in ipairs(found) do out[#out + 1] = k .. '=' .. redis.sha1hex(redis.call('DUMP', k)) end
end
return #out .. ':' .. redis.sha1hex(table.concat(out, ';'))
`;

/** A digest of every review key (the only keys the review's routes write): equal before and after = nothing written. */
export async function reviewSnapshot(redis: RedisClient): Promise<string> {
  return String(await redis.eval(REVIEW_SNAPSHOT_LUA, { keys: [], arguments: [] }));
}
