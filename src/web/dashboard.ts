/**
 * The web dashboard: static files (`web/` at the package root) served at `/` and `/ui/*`.
 * The page holds no data and needs no token to load; it asks for one and then reads only the
 * HTTP API, like any other client. A strict Content-Security-Policy keeps it to its own script.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const FILES = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/ui/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/ui/api.js': ['api.js', 'text/javascript; charset=utf-8'],
  '/ui/ui.js': ['ui.js', 'text/javascript; charset=utf-8'],
  '/ui/panels.js': ['panels.js', 'text/javascript; charset=utf-8'],
  '/ui/style.css': ['style.css', 'text/css; charset=utf-8'],
} as const;

const HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** `web/` at the package root, found from this file (src/… or dist/…). */
function webDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'web', 'index.html'))) {
      return path.join(dir, 'web');
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the dashboard files (web/ at the package root)');
}

export async function registerDashboard(app: FastifyInstance): Promise<void> {
  const dir = webDir();
  // Browsers ask for it on their own; without a route it would be a 401 in the console.
  app.get('/favicon.ico', { schema: { hide: true }, config: { public: true } }, async (_req, reply) =>
    reply.status(204).send(),
  );
  for (const [url, [file, type]] of Object.entries(FILES)) {
    const body = readFileSync(path.join(dir, file));
    app.get(url, { schema: { hide: true }, config: { public: true } }, async (_req, reply) =>
      reply.headers({ ...HEADERS, 'content-type': type }).send(body),
    );
  }
}
