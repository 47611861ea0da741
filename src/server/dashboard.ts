// The web dashboard (web/, built by `npm run build` into dist/web) served beside the API: `/` the
// dashboard, `/demo` the demo site, `/assets/...` their scripts and styles. The pages need no key
// themselves; they call the /v1 API, which asks for one when the server has keys. Only the files the
// build wrote are served (listed once at start), so no path reaches outside the folder.
import { existsSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { NextbestError } from '../core/errors.js';

/** dist/web: from dist/src/server/dashboard.js, or from src/server/dashboard.ts when the sources run (tests). */
const DASHBOARD_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/web/' : '../../web/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The folder an entry of a recursive readdir is in: `parentPath` from Node 20.12, `path` (its older name) before. */
const folderOf = (entry: Dirent): string => (entry as Omit<Dirent, 'parentPath'> & { parentPath?: string }).parentPath ?? entry.path;

/** Every file under dir, by its URL path ('/assets/index-abc.js'). */
function builtFiles(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }))
    if (entry.isFile()) {
      const path = join(folderOf(entry), entry.name);
      files.set('/' + path.slice(dir.length).split('\\').join('/').replace(/^\/+/, ''), path);
    }
  return files;
}

export function installDashboard(app: FastifyInstance, dir = DASHBOARD_DIR): void {
  const files = builtFiles(dir);
  const send = (urlPath: string) => {
    const file = files.get(urlPath);
    if (!file) {
      if (urlPath.endsWith('.html'))
        throw new NextbestError('ROUTE_NOT_FOUND', `the dashboard is not built (no ${join(dir, urlPath.slice(1))}); run npm run build`);
      throw new NextbestError('ROUTE_NOT_FOUND', `no dashboard file ${urlPath}`);
    }
    return { body: readFileSync(file), type: TYPES[extname(file)] ?? 'application/octet-stream' };
  };
  const page = (path: string, file: string) =>
    app.get(path, { schema: { hide: true }, config: { scope: 'open' } }, async (_request, reply) => {
      const { body, type } = send(file);
      return reply.type(type).header('cache-control', 'no-cache').send(body);
    });
  page('/', '/index.html');
  page('/demo', '/demo.html');
  app.get('/assets/*', { schema: { hide: true }, config: { scope: 'open' } }, async (request, reply) => {
    const { body, type } = send(`/assets/${(request.params as { '*': string })['*']}`);
    return reply.type(type).header('cache-control', 'public, max-age=31536000, immutable').send(body);
  });
  for (const [urlPath] of files)
    if (!urlPath.startsWith('/assets/') && !urlPath.endsWith('.html'))
      app.get(urlPath, { schema: { hide: true }, config: { scope: 'open' } }, async (_request, reply) => {
        const { body, type } = send(urlPath);
        return reply.type(type).send(body);
      });
}
