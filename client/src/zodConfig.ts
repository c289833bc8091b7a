import { z } from 'zod';

/**
 * zod 4 probes `new Function('')` to speed up object parsing; under our CSP (`script-src 'self'`, no 'unsafe-eval')
 * that probe is blocked and reported as a violation on every page that builds a shared schema. The client parses
 * little, so it runs without the JIT. Imported first by main.ts, before any schema is built.
 */
z.config({ jitless: true });
