/**
 * A `redirect` query value is followed only when it is a path on this site: one leading '/', then not a second
 * '/' or '\' (browsers read '//host' and '/\host' as another host), no control characters, and no scheme.
 * Anything else gives null, and the caller goes home instead (issue 9 item 3).
 */
export function safeRedirect(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > 2048) return null;
  if (!value.startsWith('/') || value[1] === '/' || value[1] === '\\') return null;
  // Browsers drop tabs and newlines inside URLs, so '/\t/evil.com' would become '//evil.com'.
  if (/[\u0000-\u001f\u007f]/.test(value)) return null;
  return value;
}
