/** How an export reaches the browser: a file name that is safe on every system, and its header per RFC 6266 / 5987. */

/** Characters Windows, macOS or Linux refuse in file names, and control characters. */
const UNSAFE_IN_NAME = /[\\/:*?"<>|\u0000-\u001f\u007f]/g;

/** A file name from user text (a quiz title...): unsafe characters become '_', length bounded, extension kept. */
export function safeFileName(base: string, extension: string): string {
  const cleaned = base.replace(UNSAFE_IN_NAME, '_').replace(/\s+/g, ' ').trim().slice(0, 80) || 'export';
  return `${cleaned}.${extension}`;
}

/** RFC 5987 ext-value: UTF-8, percent-encoded except attr-char (encodeURIComponent also leaves ' ( ) * ! alone). */
export function rfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<encoded>`: browsers use the encoded Chinese name,
 * and a client that knows only the plain parameter still gets a usable name (`asciiBase`, or the ASCII part).
 */
export function contentDisposition(filename: string, asciiBase?: string): string {
  const dot = filename.lastIndexOf('.');
  const extension = dot > 0 ? filename.slice(dot) : '';
  const base = (asciiBase ?? filename.slice(0, dot > 0 ? dot : undefined)).replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const plain = (/[a-z0-9]/i.test(base) ? base : 'export') + extension;
  return `attachment; filename="${plain}"; filename*=UTF-8''${rfc5987(filename)}`;
}
