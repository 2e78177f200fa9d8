/**
 * The example's web server: the built UIKit app (examples/uikit/dist) and one endpoint,
 * `GET /demo/session?userID=…`, that plays the app backend's part — it makes sure the account
 * exists in Parley (REST account_import, as an app backend would) and answers what
 * TUILogin.login needs: SDKAppID, a UserSig signed with the app's secret, and Parley's address.
 * It signs for any user ID it is asked about: a demo and test tool, never a production backend.
 * `npm run demo` (demo/main.ts) and the browser test (test/e2e/uikit-browser.slow.ts) use it.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { isValidUserId } from '../../../actors/apps/settings/limits';

export interface DemoBackend {
  sdkAppId: number;
  /** Parley's WebSocket address for the SDK's `proxyServer`, e.g. ws://127.0.0.1:8080. */
  proxyServer: string;
  /** Parley's HTTP base, e.g. http://127.0.0.1:8080: REST calls and media endpoints. */
  parleyUrl: string;
  /** UserSig for a user, signed with the app's secret key. */
  sign(userId: string): string;
  admin: string;
}

export interface DemoServer {
  url: string;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.gif': 'image/gif', '.jpg': 'image/jpeg', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.json': 'application/json', '.wasm': 'application/wasm',
};


export async function importAccount(backend: DemoBackend, userId: string): Promise<void> {
  const q = new URLSearchParams({ sdkappid: String(backend.sdkAppId), identifier: backend.admin, usersig: backend.sign(backend.admin), random: String(Math.floor(Math.random() * 0xffffffff)), contenttype: 'json' });
  const res = await fetch(`${backend.parleyUrl}/v4/im_open_login_svc/account_import?${q}`, { method: 'POST', body: JSON.stringify({ UserID: userId, Nick: userId }) });
  const body = (await res.json()) as { ErrorCode: number; ErrorInfo: string };
  if (body.ErrorCode !== 0) throw new Error(`account_import ${userId}: ${body.ErrorCode} ${body.ErrorInfo}`);
}

function send(res: http.ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

async function session(backend: DemoBackend, url: URL, res: http.ServerResponse): Promise<void> {
  const userID = url.searchParams.get('userID') ?? '';
  // Parley's account rule (actors/apps/settings/limits.ts): letters and digits, at most 32 bytes.
  if (!isValidUserId(userID)) return send(res, 400, 'application/json', JSON.stringify({ error: 'a user ID is 1 to 32 letters and digits' }));
  await importAccount(backend, userID);
  const { sdkAppId: SDKAppID, proxyServer } = backend;
  send(res, 200, 'application/json', JSON.stringify({ SDKAppID, userID, userSig: backend.sign(userID), proxyServer }));
}

function file(dist: string, url: URL, res: http.ServerResponse): void {
  const rel = decodeURIComponent(url.pathname) === '/' ? 'index.html' : decodeURIComponent(url.pathname).slice(1);
  const full = path.resolve(dist, rel);
  // No path outside the bundle, whatever the request says (../, encoded slashes, NUL).
  if (!full.startsWith(dist + path.sep) || full.includes('\0')) return send(res, 404, 'text/plain', 'not found');
  fs.readFile(full, (err, data) => {
    if (err) return send(res, 404, 'text/plain', 'not found');
    send(res, 200, TYPES[path.extname(full)] ?? 'application/octet-stream', data);
  });
}

export function startDemoServer(dist: string, backend: DemoBackend, port = 0, host = '127.0.0.1'): Promise<DemoServer> {
  const root = path.resolve(dist);
  if (!fs.existsSync(path.join(root, 'index.html'))) throw new Error(`no built app in ${root}: run npm run build in examples/uikit`);
  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://demo');
      decodeURIComponent(url.pathname);
    } catch {
      return send(res, 400, 'text/plain', 'bad request');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed');
    if (url.pathname === '/demo/session') {
      session(backend, url, res).catch((err: Error) => send(res, 502, 'application/json', JSON.stringify({ error: err.message })));
      return;
    }
    file(root, url, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${bound}`,
        close: () => new Promise<void>((done) => { server.closeAllConnections(); server.close(() => done()); }),
      });
    });
  });
}
