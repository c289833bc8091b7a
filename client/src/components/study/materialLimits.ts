/**
 * The two material limits the client checks before sending. They mirror MAX_MARKDOWN_CHARS and MAX_PDF_BYTES of
 * shared/schemas/study.ts (tests/client/materialLimits.test.ts keeps them equal) instead of importing them, because
 * that module builds zod object schemas, and zod 4 probes `Function('')` when it builds one: under the CSP
 * (script-src 'self', no 'unsafe-eval') the probe is blocked and reported as a violation on the materials page.
 */
export const MAX_MARKDOWN_CHARS = 200_000;
export const MAX_PDF_BYTES = 30 * 1024 * 1024;
