// Child processes for the fault tests: the real server (`node server/src/main.ts`), a private
// redis-server, free loopback ports and polling. Every process is ended by its own pid.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../free-port.ts';

export { freePort };

export const ROOT = path.resolve(import.meta.dirname, '../../..');
const NODE = path.join(ROOT, 'node_modules/.bin/node');

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function waitFor<T>(
  probe: () => Promise<T | null | undefined | false>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown = null;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await sleep(100);
  }
}

export interface Child {
  proc: ChildProcess;
  output: () => string;
  /** Resolves with the exit signal/code once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function track(proc: ChildProcess): Child {
  let out = '';
  proc.stdout?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr?.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => out, exited };
}

export interface ServerProcess extends Child {
  base: string;
  port: number;
  /** kill -9, and wait until it is gone. */
  kill9(): Promise<void>;
  /** SIGTERM (graceful shutdown), and wait until it is gone. */
  stop(): Promise<void>;
}

/** Starts the real server with exactly `env` (plus PATH/HOME) and waits for /readyz. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const base = `http://127.0.0.1:${port}`;
  const proc = spawn(NODE, ['server/src/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      HOST: '127.0.0.1',
      PUBLIC_URL: base,
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const child = track(proc);
  const server: ServerProcess = {
    ...child,
    base,
    port,
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await child.exited;
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      await child.exited;
    },
  };
  let gone = false;
  void child.exited.then(() => (gone = true));
  try {
    await waitFor(
      async () => {
        if (gone) throw new Error(`server exited:\n${child.output()}`);
        const res = await fetch(`${base}/readyz`);
        return res.status === 200;
      },
      `the server on ${base}`,
      60_000,
    );
  } catch (err) {
    await server.kill9();
    throw err;
  }
  return server;
}

export const redisServerBinary = (): string | null => {
  for (const p of ['/usr/bin/redis-server', '/usr/local/bin/redis-server']) {
    if (existsSync(p)) return p;
  }
  const found = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return found.status === 0 && found.stdout.trim() ? found.stdout.trim() : null;
};

/** A private redis-server on `port` (no persistence), ready to answer. */
export async function startRedis(port: number): Promise<Child> {
  const bin = redisServerBinary();
  if (!bin) throw new Error('redis-server not installed');
  const proc = spawn(
    bin,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const child = track(proc);
  await waitFor(
    async () => child.output().includes('Ready to accept connections'),
    'redis-server to start',
    10_000,
  );
  return child;
}

export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGKILL') {
  const { proc } = child;
  if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
  await child.exited;
}
