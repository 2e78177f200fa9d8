/**
 * The console's static files (web/console/): a fixed list read into memory when the gateway
 * starts, so a request can only ever name one of them (no path is joined from the URL) and
 * serving costs no disk access. Each carries a content hash as its ETag.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** URL path under /console/ → file name under web/console/. */
const FILES: Record<string, string> = {
  '': 'index.html',
  'console.js': 'console.js',
  'api.js': 'api.js',
  'callback-form.js': 'callback-form.js',
  'console.css': 'console.css',
  // Linked from the page, so browsers do not ask the port for /favicon.ico.
  'favicon.svg': 'favicon.svg',
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * web/console from the sources (services/console → ../../web) or from a build
 * (dist/services/console → ../../../web): `npm start` runs the build, tests run the sources.
 */
export function consoleDir(from = __dirname): string | undefined {
  for (const up of [2, 3]) {
    const dir = path.resolve(from, ...Array<string>(up).fill('..'), 'web', 'console');
    if (fs.existsSync(path.join(dir, 'index.html'))) return dir;
  }
  return undefined;
}

/** Every file of the console, by its path under /console/; throws if one is missing. */
export function loadAssets(dir: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [urlPath, file] of Object.entries(FILES)) {
    const body = fs.readFileSync(path.join(dir, file));
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(urlPath, { body, etag, type: TYPES[path.extname(file)] ?? 'application/octet-stream' });
  }
  return assets;
}
