import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import type { Appendfsync } from '../config';
import type { Logger } from './logger';

export interface ManagedRedis {
  socketPath: string;
  stop(): Promise<void>;
}

export function findRedisServer(): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin', '/usr/local/bin'];
  for (const dir of dirs) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

/** Unix socket paths are limited to ~107 bytes; deep checkouts get a short path in the temp dir. */
function socketPathFor(redisDir: string): string {
  const preferred = path.join(redisDir, 'redis.sock');
  if (preferred.length < 100) return preferred;
  const hash = createHash('sha1').update(redisDir).digest('hex').slice(0, 12);
  return path.join(os.tmpdir(), `tongpin-redis-${hash}.sock`);
}

async function answersPing(socketPath: string): Promise<boolean> {
  if (!existsSync(socketPath)) return false;
  const client = createClient({ socket: { path: socketPath, reconnectStrategy: false } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    if (client.isOpen) client.destroy();
  }
}

async function waitUntilUp(socketPath: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    if (await answersPing(socketPath)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis-server did not come up within ' + timeoutMs + ' ms');
}

/**
 * Starts a private redis-server (AOF on, unix socket only, no TCP port) with its data under dataDir/redis.
 * If one is already serving that directory (e.g. left by a killed process), it is reused.
 */
export async function startManagedRedis(dataDir: string, appendfsync: Appendfsync, logger: Logger): Promise<ManagedRedis> {
  const binary = findRedisServer();
  if (!binary) {
    throw new Error(
      'redis-server is not installed. Install the Debian package "redis-server" (apt-get install redis-server) ' +
        'or set REDIS_URL to an existing Redis.',
    );
  }
  const redisDir = path.join(dataDir, 'redis');
  mkdirSync(redisDir, { recursive: true });
  const socketPath = socketPathFor(redisDir);
  if (await answersPing(socketPath)) {
    logger.warn({ socketPath }, 'reusing the redis-server already serving this data directory');
    return { socketPath, stop: async () => undefined };
  }
  rmSync(socketPath, { force: true });
  const args = [
    '--port', '0',
    '--unixsocket', socketPath,
    '--unixsocketperm', '700',
    '--dir', redisDir,
    '--appendonly', 'yes',
    '--appendfsync', appendfsync,
    '--save', '3600 1 300 100 60 10000',
    '--daemonize', 'no',
    '--logfile', '',
    '--loglevel', 'warning',
  ];
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const forward = (chunk: Buffer) => {
    const text = chunk.toString().trim();
    if (text) logger.info({ redis: text }, 'redis-server');
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  await waitUntilUp(socketPath, child, 15_000);
  logger.info({ socketPath, dir: redisDir, appendfsync }, 'private redis-server started');
  return {
    socketPath,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        // SIGTERM makes redis-server flush the AOF and exit cleanly.
        child.kill('SIGTERM');
      }),
  };
}
