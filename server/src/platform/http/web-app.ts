// The built web app (dist/web, `npm run build:web`). Hashed assets are cached for a year, pages are
// revalidated; the build writes .br and .gz next to each text file and the one the browser accepts
// is sent. Two pages: index.html carries the home page's hero in zh-TW (it paints before the
// JavaScript runs) and is sent at `/`; app.html, the language-neutral shell, is sent for every
// other page path and at `/` to readers who chose English (the web app's `pas_lang` cookie).
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const LANGUAGE_COOKIE = 'pas_lang';

/** True when `webDir` holds a build to serve. */
export function hasWebApp(webDir: string | null | undefined): webDir is string {
  return Boolean(webDir && existsSync(path.join(webDir, 'index.html')));
}

/** The page for paths other than `/` (builds from before app.html have only index.html). */
export function shellPage(webDir: string): string {
  return existsSync(path.join(webDir, 'app.html')) ? 'app.html' : 'index.html';
}

function choseEnglish(request: FastifyRequest): boolean {
  const cookies = request.headers.cookie ?? '';
  return cookies.split(';').some((c) => c.trim() === `${LANGUAGE_COOKIE}=en`);
}

/** Sends a page: `no-cache`, so a new deployment is seen at once (the ETag saves the body). */
export function sendPage(reply: FastifyReply, file: string) {
  return reply.header('cache-control', 'no-cache').sendFile(file);
}

export async function serveWebApp(app: FastifyInstance, webDir: string) {
  const shell = shellPage(webDir);
  await app.register(fastifyStatic, {
    root: webDir,
    wildcard: false,
    index: false, // `/` is the route below
    preCompressed: true,
    setHeaders(res, file) {
      const hashed = file.includes(`${path.sep}assets${path.sep}`);
      res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/', { schema: { hide: true } }, (request, reply) =>
    sendPage(reply.header('vary', 'cookie'), choseEnglish(request) ? shell : 'index.html'),
  );
}
