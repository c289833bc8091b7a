import { randomBytes } from 'node:crypto';

/** Short random ids: 12 url-safe characters, 72 bits. */
export const newId = () => randomBytes(9).toString('base64url');
