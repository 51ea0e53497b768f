import { createReadStream, existsSync, type Stats, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Request, RequestHandler, Response } from 'express';

/**
 * The editor's build (`apps/editor/dist`), seen from `apps/server/{src,dist}`. The server only serves
 * these files; it never imports editor code.
 */
export const DEFAULT_EDITOR_DIR = fileURLToPath(new URL('../../editor/dist', import.meta.url));

/** Paths that belong to the server, never to the editor (no SPA fallback under them). */
const SERVER_PATHS = ['/api', '/webhooks', '/hooks', '/sandbox', '/healthz', '/readyz', '/metrics'];

/** For the editor's HTML: scripts, styles, images and API calls from this origin only. */
export const EDITOR_CSP = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names `assets/*` by content hash: they never change under the same name. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** True when the editor has been built into `dir` (it has an index.html). */
export function editorBuilt(dir: string): boolean {
  return existsSync(join(dir, 'index.html'));
}

function stat(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Serves the editor's static build at `/`: its files (`/assets/*` cached for good, everything else
 * revalidated), and `index.html` for `/` and for any other page a browser asks for (the editor routes in
 * the browser), except under the server's own paths. A precompressed `.br` or `.gz` sibling is sent when
 * the browser takes it. Does nothing (passes on) while the editor is not built.
 */
export function serveEditor(dir: string): RequestHandler {
  const root = resolve(dir);
  const index = join(root, 'index.html');
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = req.path;
    if (SERVER_PATHS.some((p) => path === p || path.startsWith(`${p}/`))) return next();
    if (!existsSync(index)) return next();
    if (path !== '/') {
      let relative: string;
      try {
        relative = decodeURIComponent(path);
      } catch {
        return next();
      }
      const segments = relative.split('/').filter(Boolean);
      // No dotfiles, no way out of the directory.
      const file = resolve(root, ...segments);
      const safe = !segments.some((s) => s.startsWith('.')) && file.startsWith(`${root}${sep}`);
      const found = safe && file !== index ? stat(file) : undefined;
      if (found?.isFile()) {
        res.locals.metricsRoute = relative.startsWith('/assets/') ? '/assets/*' : 'editor file';
        return sendStatic(req, res, file, found, relative.startsWith('/assets/') ? IMMUTABLE : 'no-cache');
      }
      // A missing asset is a 404, not the page; other paths are the editor's own routes.
      if (relative.startsWith('/assets/') || !(req.get('accept') ?? '').includes('text/html')) return next();
    }
    res.locals.metricsRoute = 'editor';
    res.setHeader('content-security-policy', EDITOR_CSP);
    res.setHeader('referrer-policy', 'no-referrer');
    const found = stat(index);
    if (!found) return next();
    sendStatic(req, res, index, found, 'no-cache');
  };
}

/** One file, with a validator (so `no-cache` revalidations are 304s) and its precompressed form if any. */
function sendStatic(req: Request, res: Response, file: string, stats: Stats, cacheControl: string) {
  const accepted = req.get('accept-encoding') ?? '';
  let body = file;
  let size = stats.size;
  let encoding: string | undefined;
  for (const [ext, name] of [
    ['.br', 'br'],
    ['.gz', 'gzip'],
  ] as const) {
    if (!new RegExp(`\\b${name}\\b`).test(accepted)) continue;
    const compressed = stat(`${file}${ext}`);
    if (compressed?.isFile()) {
      body = `${file}${ext}`;
      size = compressed.size;
      encoding = name;
      break;
    }
  }
  const etag = `W/"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}${encoding ? `-${encoding}` : ''}"`;
  res.setHeader('content-type', TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream');
  res.setHeader('cache-control', cacheControl);
  res.setHeader('vary', 'accept-encoding');
  res.setHeader('etag', etag);
  res.setHeader('last-modified', stats.mtime.toUTCString());
  if (req.get('if-none-match') === etag) {
    res.status(304).end();
    return;
  }
  if (encoding) res.setHeader('content-encoding', encoding);
  res.setHeader('content-length', size);
  if (req.method === 'HEAD') {
    res.status(200).end();
    return;
  }
  res.status(200);
  createReadStream(body)
    .on('error', () => res.destroy())
    .pipe(res);
}
