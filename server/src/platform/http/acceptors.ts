// Listening with several sockets on one port, for a busy instance behind a proxy.
//
// libuv accepts one connection per listening socket and event-loop turn (libuv/libuv#3696). On an
// instance whose loop turns take tens of milliseconds under load, a burst of new connections — a
// flash crowd making nginx open hundreds of upstream connections at once — waited seconds in the
// kernel's accept queue before the app saw a request (bench/crowd.ts: nginx's upstream time 4.4 s
// for requests the app answered in 2-80 ms; the queue held 300 connections). `acceptors` sockets
// bound with SO_REUSEPORT share the port (the kernel spreads new connections over them), each
// hands its connections to Fastify's HTTP server, so a turn accepts up to `acceptors` of them.
import net from 'node:net';
import type { FastifyInstance, FastifyListenOptions } from 'fastify';

export interface ListenOptions {
  port: number;
  host: string;
  /** Listening sockets on the port: 1 is a plain listen. */
  acceptors: number;
}

/**
 * `app.listen` on `port`, plus `acceptors - 1` more sockets on the port it got (also for port 0);
 * they stop accepting when the app closes (before its in-flight requests drain).
 */
export async function listenWithAcceptors(app: FastifyInstance, options: ListenOptions) {
  const { host, acceptors } = options;
  const reusePort = acceptors > 1;
  const extra: net.Server[] = [];
  // Hooks cannot be added once the app listens; this one stops those listening by then. Not
  // awaited: a net.Server's close ends when its connections do, and those are the HTTP server's,
  // which Fastify closes after this hook (waiting here held a kept-alive connection's close forever).
  if (reusePort)
    app.addHook('preClose', (done) => {
      for (const server of extra) server.close();
      done();
    });
  // Fastify hands its listen options to Node's server.listen, reusePort included (not in its types).
  const listen: FastifyListenOptions & { reusePort: boolean } = {
    port: options.port,
    host,
    reusePort,
  };
  await app.listen(listen);
  if (!reusePort) return;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  for (let i = 1; i < acceptors; i++) {
    // Fastify's server configures each connection it is given (timeouts, keep-alive) as its own.
    const server = net.createServer((socket) => app.server.emit('connection', socket));
    extra.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port, host, reusePort: true }, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }
}
