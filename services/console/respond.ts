/**
 * Response headers of the console. The page runs only its own files: no inline script or
 * style, no other origin, no framing, no form that submits by navigation (the page's own
 * script sends every request, so a credential can never end up in a URL), and Trusted Types
 * required, which turns any innerHTML-style DOM sink into an error rather than an XSS hole.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Asset } from './files';

const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
].join('; ');

const COMMON: OutgoingHttpHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * A file of the page. `no-cache` means "revalidate every time": a 304 costs one round trip,
 * and after an upgrade no browser runs an old module against a new page or API.
 */
export function sendAsset(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
  const headers: OutgoingHttpHeaders = {
    ...COMMON,
    'Content-Security-Policy': PAGE_POLICY,
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cache-Control': 'no-cache',
    ETag: asset.etag,
  };
  if (req.headers['if-none-match'] === asset.etag) return void res.writeHead(304, headers).end();
  res.writeHead(200, { ...headers, 'Content-Type': asset.type, 'Content-Length': asset.body.length });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}

/** An API answer: never stored by a browser or a proxy, since it describes an app's backend. */
export function sendJson(res: ServerResponse, status: number, body: object, extra: OutgoingHttpHeaders = {}): void {
  sendUncached(res, status, 'application/json; charset=utf-8', JSON.stringify(body), extra);
}

export function sendText(res: ServerResponse, status: number, text: string, extra: OutgoingHttpHeaders = {}): void {
  sendUncached(res, status, 'text/plain; charset=utf-8', text, extra);
}

function sendUncached(res: ServerResponse, status: number, type: string, payload: string, extra: OutgoingHttpHeaders): void {
  res.writeHead(status, {
    ...COMMON,
    ...extra,
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cache-Control': 'no-store',
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(payload),
  });
  res.end(payload);
}
