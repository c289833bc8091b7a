import MarkdownIt from 'markdown-it';
import createDOMPurify from 'dompurify';

/**
 * Markdown to safe HTML, for MarkdownView only. Two locks, either of which is enough on its own:
 * markdown-it with html:false never passes raw HTML through (a `<script>` in the source stays text) and refuses
 * javascript:/vbscript:/file: links; DOMPurify then removes anything executable that might still get out, and the
 * hook below removes javascript: and data: URLs outright and opens every link in a new tab without an opener.
 */
const md = new MarkdownIt({ html: false, linkify: true, typographer: false, breaks: false });

// An instance of our own, so this hook does not leak into any other user of DOMPurify.
const purify = createDOMPurify(window);

/** Any scheme that can run code or carry a document; control characters and spaces are ignored as browsers do. */
const UNSAFE_URL = /^(?:javascript|vbscript|data|file):/i;
const unsafe = (url: string) => UNSAFE_URL.test(url.replace(/[\u0000-\u0020\u007f-\u009f]/g, ''));

purify.addHook('afterSanitizeAttributes', (node) => {
  for (const attr of ['href', 'src', 'xlink:href', 'action', 'formaction']) {
    const value = node.getAttribute(attr);
    if (value !== null && unsafe(value)) node.removeAttribute(attr);
  }
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

export function renderMarkdown(source: string): string {
  return purify.sanitize(md.render(source), {
    USE_PROFILES: { html: true },
    FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
    FORBID_ATTR: ['style'],
    ADD_ATTR: ['target'],
  });
}
