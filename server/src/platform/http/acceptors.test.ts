import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { listenWithAcceptors } from './acceptors.ts';

const HOST = '127.0.0.1';
const apps: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function started(acceptors: number) {
  const app = Fastify();
  apps.push(app);
  app.get('/who', async (request) => ({ port: request.socket.localPort }));
  await listenWithAcceptors(app, { port: 0, host: HOST, acceptors });
  return { app, port: (app.server.address() as net.AddressInfo).port };
}

/** Sockets listening on 127.0.0.1:port, from the kernel's own table. */
function listeners(port: number): number {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  return readFileSync('/proc/net/tcp', 'utf8')
    .split('\n')
    .filter((line) => {
      const cols = line.trim().split(/\s+/);
      return cols[1] === local && cols[3] === '0A'; // 0A: LISTEN
    }).length;
}

/** A GET (on a new connection unless `agent` keeps them): its status, or the connection error's code. */
function get(port: number, agent: http.Agent | false = false): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get({ host: HOST, port, path: '/who', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

describe.runIf(process.platform === 'linux')('listening with several acceptors', () => {
  it('when acceptors is 4, then four sockets listen on the one port and every new connection is served by the app', async () => {
    const { port } = await started(4);
    expect(listeners(port)).toBe(4);
    const answers = await Promise.all(Array.from({ length: 60 }, () => get(port)));
    expect(answers).toEqual(Array.from({ length: 60 }, () => 200));
  });

  it('when the app closes, then no socket is left listening and a new connection is refused', async () => {
    const { app, port } = await started(4);
    expect(await get(port)).toBe(200);
    apps.splice(apps.indexOf(app), 1);
    await app.close();
    expect(listeners(port)).toBe(0);
    expect(await get(port)).toBe('ECONNREFUSED');
  });

  it('when kept-alive connections are open on every socket, then closing the app ends them and does not wait on the extra sockets', async () => {
    const { app, port } = await started(4);
    const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
    const answers = await Promise.all(Array.from({ length: 16 }, () => get(port, agent)));
    expect(answers).toEqual(Array.from({ length: 16 }, () => 200));
    expect(Object.values(agent.freeSockets).flat().length).toBeGreaterThan(0);
    apps.splice(apps.indexOf(app), 1);
    const closed = await Promise.race([
      app.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 3_000, 'still closing after 3 s')),
    ]);
    agent.destroy();
    expect(closed).toBe('closed');
    expect(listeners(port)).toBe(0);
  });

  it('when acceptors is 1, then the port is not shared: a second listener on it fails with EADDRINUSE', async () => {
    const { port } = await started(1);
    expect(listeners(port)).toBe(1);
    const other = net.createServer();
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => {
      other.once('error', resolve);
      other.listen({ port, host: HOST, reusePort: true });
    });
    expect(error.code).toBe('EADDRINUSE');
  });
});
