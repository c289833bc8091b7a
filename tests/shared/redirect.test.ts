import { describe, expect, it } from 'vitest';
import { safeRedirect } from '../../shared/redirect';

describe('issue 9 item 3: the redirect query is followed only to a same-site path', () => {
  it.each(['/join?pin=123456', '/', '/games/abc?x=1#y', '/join?next=//evil.com'])('issue 9 item 3: keeps %s', (path) => {
    expect(safeRedirect(path)).toBe(path);
  });

  it.each([
    '//evil.com',
    'https://evil.com',
    '/\\evil.com',
    '\\\\evil.com',
    'javascript:alert(1)',
    'evil.com',
    '',
    '/\t/evil.com',
    '/\n/evil.com',
    'http:/evil.com',
  ])('issue 9 item 3: rejects %j', (value) => {
    expect(safeRedirect(value)).toBeNull();
  });

  it('rejects what is not a single string (a repeated query parameter)', () => {
    expect(safeRedirect(['/a', '/b'])).toBeNull();
    expect(safeRedirect(undefined)).toBeNull();
  });
});
