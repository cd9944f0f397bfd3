// Debian's nginx in front of app instances on this machine, for `npm run soak` and
// `npm run bench -- --nginx | --crowd`: a config generated into a temp dir (one server block per
// listen port, each with its own upstream), started in the foreground, stopped by its pid.
// With `production: true` each server block also has deploy/nginx.conf's microcache location
// (copied from between its bench:microcache markers, so the bench measures what is deployed) and
// its live-notification stream location.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../server/test/free-port.ts';

export { freePort };

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

const DEPLOY_CONF = path.resolve(import.meta.dirname, '../deploy/nginx.conf');

export interface ProxySite {
  /** nginx listens on 127.0.0.1:listen and balances round robin over the upstream ports. */
  listen: number;
  upstream: number[];
}

export interface NginxOptions {
  /** deploy/nginx.conf's microcache and stream locations (default: a plain proxy). */
  production?: boolean;
  /** Per worker (default 4096); each proxied stream holds two. */
  workerConnections?: number;
}

/** deploy/nginx.conf's microcache location and its cache zone, for a config in `dir`. */
export function deployedMicrocache(dir: string) {
  const conf = readFileSync(DEPLOY_CONF, 'utf8');
  const location = /# bench:microcache:start\n([\s\S]*?)\n\s*# bench:microcache:end/.exec(
    conf,
  )?.[1];
  const zone = /proxy_cache_path \/var\/cache\/nginx\/micro ([^;]+);/.exec(conf)?.[1];
  if (!location || !zone)
    throw new Error('deploy/nginx.conf: no microcache location between its bench markers');
  return {
    zone: `proxy_cache_path ${dir}/micro ${zone.replace(/\s+/g, ' ')};`,
    /** The location, proxying to `upstream`. */
    location: (upstream: string) =>
      location.replace(/proxy_pass http:\/\/app;/g, `proxy_pass http://${upstream};`),
  };
}

/** deploy/nginx.conf's idle upstream connections (`keepalive N;` in its upstream block). */
function deployedKeepalive(): number {
  const n = /upstream app \{[^}]*?\bkeepalive (\d+);/.exec(readFileSync(DEPLOY_CONF, 'utf8'))?.[1];
  if (!n) throw new Error('deploy/nginx.conf: no keepalive in its upstream block');
  return Number(n);
}

/** nginx.conf for `sites`, as deploy/nginx.conf proxies (HTTP/1.1 upstream keep-alive). */
export function nginxConfig(dir: string, sites: ProxySite[], options: NginxOptions = {}): string {
  // Run as root (CI), the workers run as nobody and must reach the temp paths.
  const user = process.getuid?.() === 0 ? 'user nobody nogroup;' : '';
  const connections = options.workerConnections ?? 4096;
  const micro = options.production ? deployedMicrocache(dir) : null;
  const keepalive = deployedKeepalive();
  const blocks = sites.map(
    (site, i) => `
  upstream app${i} {
${site.upstream.map((port) => `    server 127.0.0.1:${port}${options.production ? ' max_fails=3 fail_timeout=10s' : ''};`).join('\n')}
    keepalive ${keepalive};
  }
  server {
    listen 127.0.0.1:${site.listen};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Request-Id $req_id;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 2;
    location / { proxy_pass http://app${i}; }${
      micro
        ? `
${micro.location(`app${i}`)}
    location /api/notifications/stream {
      proxy_pass http://app${i};
      proxy_buffering off;
      proxy_cache off;
      gzip off;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
    }`
        : ''
    }
  }`,
  );
  return `${user}
worker_processes 1;
worker_rlimit_nofile ${connections * 2};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections ${connections}; }
http {
  access_log off;
  # A load generator reuses each connection for far more than nginx's default 1,000 requests;
  # a close after the 1,000th races the client's next request (ECONNRESET).
  keepalive_requests 10000000;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_x_request_id $req_id {
    default $http_x_request_id;
    "" $request_id;
  }${micro ? `\n  ${micro.zone}` : ''}${blocks.join('\n')}
}
`;
}

/** Writes the config into `dir` and starts nginx in the foreground (stop it with kill()). */
export function startNginx(
  dir: string,
  sites: ProxySite[],
  options: NginxOptions = {},
): ChildProcess {
  mkdirSync(dir, { recursive: true });
  // Run as root, nginx's workers are nobody: they must reach and write its temp and cache paths.
  chmodSync(dir, 0o755);
  for (const sub of ['micro', 'proxy', 'client_body']) {
    mkdirSync(path.join(dir, sub), { recursive: true });
    chmodSync(path.join(dir, sub), 0o777);
  }
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, sites, options));
  return spawn(NGINX_BIN, ['-e', `${dir}/error.log`, '-p', dir, '-c', conf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
