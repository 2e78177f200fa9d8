/**
 * The console's static files (web/console/): a fixed list read into memory when the gateway
 * starts, so a request can only ever name one of them (no path is joined from the URL) and
 * serving costs no disk access. Each carries a content hash as its ETag.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const BUNDLE = path.join('dist', 'console.js');

export interface Asset {
  body: Buffer;
  type: string;
  etag: string;
}

/** URL path under /console/ → file name under web/console/. */
const FILES: Record<string, string> = {
  '': 'index.html',
  // The bundles esbuild makes of the page's modules, and of Chart.js for the statistics page (web/console/build.cjs).
  'console.js': BUNDLE,
  'charts.js': path.join('dist', 'charts.js'),
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

/**
 * Every file of the console, by its path under /console/; throws if one is missing. A checkout
 * run from its sources (tests, `npm run parley`) has no bundle yet, or one older than a page
 * module someone edited since: it is built here. Where the build tool is not installed (a
 * production install without dev dependencies) an existing bundle is served as it is.
 */
export function loadAssets(dir: string): Map<string, Asset> {
  const bundle = path.join(dir, BUNDLE);
  if (!bundleIsCurrent(dir, bundle)) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the build script of web/console, CommonJS
      (require(path.join(dir, 'build.cjs')) as { buildConsole(): void }).buildConsole();
    } catch (err) {
      if (!fs.existsSync(bundle)) throw err;
    }
  }
  const assets = new Map<string, Asset>();
  for (const [urlPath, file] of Object.entries(FILES)) {
    const body = fs.readFileSync(path.join(dir, file));
    const etag = `"${crypto.createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`;
    assets.set(urlPath, { body, etag, type: TYPES[path.extname(file)] ?? 'application/octet-stream' });
  }
  return assets;
}

/** Both bundles exist and no module of the page changed after the last (console.js) was built. */
function bundleIsCurrent(dir: string, bundle: string): boolean {
  const bundles = Object.values(FILES).filter((f) => f.startsWith('dist'));
  if (!bundles.every((f) => fs.existsSync(path.join(dir, f)))) return false;
  const built = fs.statSync(bundle).mtimeMs;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .every((f) => fs.statSync(path.join(dir, f)).mtimeMs <= built);
}
