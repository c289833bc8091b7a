import type { IncomingMessage } from 'node:http';
import helmet from 'helmet';

/** A Host header as browsers send it (name or [IPv6], optional port); anything else adds no source. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The sockets of this very host, both schemes: older browsers do not let 'self' cover ws:/wss:, and a
 * TLS proxy in front turns ws: into wss:. Other hosts stay closed.
 */
function socketSources(req: IncomingMessage): string {
  const host = req.headers.host ?? '';
  return HOST.test(host) ? `ws://${host} wss://${host}` : '';
}

/**
 * Security headers for every answer. The CSP is what the built client needs and no more: its own scripts
 * only; inline styles because Naive UI injects its CSS at runtime; data: images for the join QR code.
 * No upgrade-insecure-requests: a branch may run the app over plain http on its own network.
 */
export function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'", 'data:'],
        'connect-src': ["'self'", socketSources],
        'object-src': ["'none'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
      },
    },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    // Only sent over https by browsers' rules; subdomains are the organisation's business, not ours.
    strictTransportSecurity: { maxAge: 180 * 24 * 3600, includeSubDomains: false },
  });
}
