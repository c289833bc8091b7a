import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config';

/** proxy-addr's trust test: may the hop at this distance (0 = the socket's peer) speak for the client? */
export type Trust = (addr: string, hop: number) => boolean;

/**
 * The TRUST_PROXY setting as one compiled test, given to Express (`trust proxy`) and to the socket layer alike,
 * so req.ip and a socket's address follow the same rules.
 */
export function compileTrust(setting: TrustProxy): Trust {
  if (setting === false) return () => false;
  if (typeof setting === 'number') return (_addr, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/** What a socket.io handshake offers: the peer's address and the upgrade request's headers. */
export interface HandshakeLike {
  address: string;
  headers: IncomingHttpHeaders;
}

/**
 * The client's address as Express computes req.ip: X-Forwarded-For is read from the right, and only
 * trusted hops are skipped, so addresses a client wrote itself on the left are never taken.
 */
export function socketClientIp(handshake: HandshakeLike, trust: Trust): string {
  // proxy-addr reads just these two fields of a request (see forwarded/index.js).
  const req = { headers: handshake.headers, socket: { remoteAddress: handshake.address } } as unknown as IncomingMessage;
  return proxyaddr(req, trust);
}

/** The scheme the browser used: the socket's own, unless a trusted proxy in front says X-Forwarded-Proto. */
export function socketProtocol(handshake: HandshakeLike & { secure: boolean }, trust: Trust): 'http' | 'https' {
  const own = handshake.secure ? 'https' : 'http';
  if (!trust(handshake.address, 0)) return own;
  const header = handshake.headers['x-forwarded-proto'];
  const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https' || first === 'http' ? first : own;
}
