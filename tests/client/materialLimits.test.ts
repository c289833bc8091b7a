import { describe, expect, it } from 'vitest';
import { MAX_MARKDOWN_CHARS, MAX_PDF_BYTES } from '../../shared/schemas/study';
import * as clientLimits from '../../client/src/components/study/materialLimits';

describe('issue 10: the materials page checks the server limits', () => {
  it('the client copy of the material limits (kept zod-free for the CSP) equals the shared contract', () => {
    expect(clientLimits.MAX_MARKDOWN_CHARS).toBe(MAX_MARKDOWN_CHARS);
    expect(clientLimits.MAX_PDF_BYTES).toBe(MAX_PDF_BYTES);
  });
});
