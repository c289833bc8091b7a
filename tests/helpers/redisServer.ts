import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { findRedisServer } from '../../server/infra/managedRedis';

export interface TestRedis {
  socketPath: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** A private redis-server in a temp dir, on a unix socket only; never a Redis the tests did not start. */
export async function startTestRedis(extraArgs: string[] = []): Promise<TestRedis> {
  const binary = findRedisServer();
  if (!binary) throw new Error('redis-server is not installed (npm test installs it when run as root with apt)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tongpin-test-redis-'));
  const socketPath = path.join(dir, 'redis.sock');
  const child = spawn(
    binary,
    ['--port', '0', '--unixsocket', socketPath, '--dir', dir, '--save', '', '--appendonly', 'no', '--databases', '64', ...extraArgs],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = createClient({ socket: { path: socketPath, reconnectStrategy: false } });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      client.destroy();
      break;
    } catch {
      if (client.isOpen) client.destroy();
      if (Date.now() > deadline) throw new Error('test redis-server did not start');
      await new Promise((r) => setTimeout(r, 30));
    }
  }
  return {
    socketPath,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}
