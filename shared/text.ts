/** Full-width ASCII variants (！ to ～) and the ideographic space become half-width. */
export function toHalfWidth(s: string): string {
  return s
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\u3000/g, ' ');
}

/** How free-text answers and names are compared: trimmed, half-width, case-folded, spaces collapsed. */
export function normaliseForCompare(s: string): string {
  return toHalfWidth(s).normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A blank (填空) answer is right when it equals any accepted form after normalisation; client and server share this. */
export function blankAnswerMatches(accepted: readonly string[], given: string): boolean {
  const g = normaliseForCompare(given);
  return g !== '' && accepted.some((a) => normaliseForCompare(a) === g);
}
