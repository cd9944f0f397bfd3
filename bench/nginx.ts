// Debian's nginx in front of app instances on this machine, for `npm run soak` and
// `npm run bench -- --nginx`: a config generated into a temp dir (one server block per
// listen port, each with its own upstream), started in the foreground, stopped by its pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../server/test/free-port.ts';

export { freePort };

export const NGINX_BIN = process.env.NGINX_BIN ?? '/usr/sbin/nginx';

export interface ProxySite {
  /** nginx listens on 127.0.0.1:listen and balances round robin over the upstream ports. */
  listen: number;
  upstream: number[];
}

/** nginx.conf for `sites`, as deploy/nginx.conf proxies (HTTP/1.1 upstream keep-alive). */
export function nginxConfig(dir: string, sites: ProxySite[]): string {
  // Run as root (CI), the workers run as nobody and must reach the temp paths.
  const user = process.getuid?.() === 0 ? 'user nobody nogroup;' : '';
  const blocks = sites.map(
    (site, i) => `
  upstream app${i} {
${site.upstream.map((port) => `    server 127.0.0.1:${port};`).join('\n')}
    keepalive 64;
  }
  server {
    listen 127.0.0.1:${site.listen};
    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $http_host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    location / { proxy_pass http://app${i}; }
  }`,
  );
  return `${user}
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  # A load generator reuses each connection for far more than nginx's default 1,000 requests;
  # a close after the 1,000th races the client's next request (ECONNRESET).
  keepalive_requests 10000000;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;${blocks.join('\n')}
}
`;
}

/** Writes the config into `dir` and starts nginx in the foreground (stop it with kill()). */
export function startNginx(dir: string, sites: ProxySite[]): ChildProcess {
  mkdirSync(dir, { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(dir, sites));
  return spawn(NGINX_BIN, ['-e', `${dir}/error.log`, '-p', dir, '-c', conf], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
