// The server's asynchronous log: what was queued is written by flush(), on a fatal error before the
// process exits 1, and on a graceful shutdown of the real server (main.ts) before it exits 0.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, startServer, waitFor } from '../../../test/faults/processes.ts';
import { createProcessLogger } from './process-logger.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'pas-log-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

/** Runs the fatal fixture; its stdout (the log) and exit code. */
function runFatal(mode: 'throw' | 'reject', count: number) {
  return new Promise<{ code: number | null; out: string }>((resolve) => {
    const child = spawn(
      path.join(ROOT, 'node_modules/.bin/node'),
      [path.join(ROOT, 'server/test/fixtures/logging/fatal-after-lines.ts'), mode],
      { env: { PATH: process.env.PATH, LINES: String(count) }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('process logger', () => {
  it('when lines are still queued, then flush() writes every one of them', async () => {
    const file = path.join(dir, 'flush.log');
    const logger = createProcessLogger({ level: 'info', redact: ['password'], dest: file });
    await new Promise((r) => setTimeout(r, 20)); // the file is opened asynchronously
    for (let i = 0; i < 20_000; i++) logger.log.info({ i, password: 'secret' }, 'queued');
    // Handed over but not yet written: the asynchronous destination still holds most of it.
    const before = readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
    expect(before).toBeLessThan(20_000);
    await logger.flush();
    const written = lines(readFileSync(file, 'utf8'));
    expect(written).toHaveLength(20_000);
    expect(written.map((l) => l.i)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
    expect(written[0]!.password).toBe('[redacted]');
  });

  it('when a quiet server logs a single line, then it is written without a flush', async () => {
    const file = path.join(dir, 'quiet.log');
    const logger = createProcessLogger({ level: 'info', redact: [], dest: file });
    logger.log.info({ n: 1 }, 'lonely line');
    // Far below the bytes that trigger a write: the periodic flush writes it (within a second).
    await waitFor(
      async () => existsSync(file) && readFileSync(file, 'utf8').includes('lonely line'),
      'the periodic flush',
      10_000,
    );
  });

  it('when an uncaught exception ends the process, then the queued lines and a fatal line are written and it exits 1', async () => {
    const { code, out } = await runFatal('throw', 20_000);
    expect(code).toBe(1);
    const written = lines(out);
    expect(written.filter((l) => l.msg === 'burst line')).toHaveLength(20_000);
    const fatal = written.at(-1)!;
    expect(fatal).toMatchObject({ level: 60, msg: 'fatal error; exiting' });
    expect(JSON.stringify(fatal.err)).toContain('thrown on purpose');
  });

  it('when an unhandled rejection ends the process, then it is logged as fatal after the queued lines and it exits 1', async () => {
    const { code, out } = await runFatal('reject', 5_000);
    expect(code).toBe(1);
    const written = lines(out);
    expect(written.filter((l) => l.msg === 'burst line')).toHaveLength(5_000);
    expect(written.at(-1)).toMatchObject({ level: 60, origin: 'unhandledRejection' });
  });

  it('when the server is stopped with SIGTERM, then every access line and the "stopped" line are written before it exits 0', async () => {
    const server = await startServer({
      DATA_DIR: path.join(dir, 'server'),
      DEMO_DATA: 'false',
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'all',
      // Every line, not one in 10 of these public cached reads.
      LOG_SAMPLE_CACHED: '1',
      JOBS: 'off',
    });
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await fetch(`${server.base}/api/trending`);
      ids.push(res.headers.get('x-request-id')!);
    }
    await server.stop();
    expect((await server.exited).code).toBe(0);
    const written = lines(
      server
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .join('\n'),
    );
    const access = written.filter((l) => l.msg === 'request' && l.route === '/api/trending');
    expect(access.map((l) => l.requestId)).toEqual(ids);
    expect(written.at(-1)!.msg).toBe('stopped');
  });
});
