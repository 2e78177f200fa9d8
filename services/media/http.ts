/**
 * The media routes of the gateway, served ahead of moleculer-web like /v4 (docs/media.md):
 *   PUT|POST /media/u/<app>/<fileKey>?…  the SDK's upload (tim-upload-plugin PUTs the raw bytes
 *                                        to the upload_url of im_cos_msg.pre_sig); 200 when stored
 *   GET|HEAD /media/d/<app>/<fileKey>/<o|l|t>?e&s  a download, with single byte ranges
 *   POST /v4/parley_media/upload?sdkappid&identifier&usersig&type=…  the REST upload (./rest-upload.ts)
 *   OPTIONS  CORS preflight: the URLs' signatures are the credentials, so any origin may use them.
 * Refusals answer the HTTP status of their kind with a Tencent-style body {ActionStatus, ErrorCode, ErrorInfo}.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { ServiceBroker } from 'moleculer';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { AppDirectory } from '../apps/registry';
import type { SigVerifier } from '../auth/verifier';
import { ledgerOf, signingKeys } from './client';
import { blobKey, ingest } from './ingest';
import { HTTP_STATUS, MEDIA_ERRORS, MediaRefusal, servedAs } from './kinds';
import { limitsOf } from './limits';
import { parseRange } from './range';
import { restUpload } from './rest-upload';
import { mayRead, type Reader } from './readers';
import { readDownloadTicket, readReaderKey, readUploadTicket, type Verdict } from './signing';
import { readMeta } from './tickets';

export const isMediaPath = (url: string | undefined) => !!url && (url.startsWith('/media/') || url.startsWith('/v4/parley_media/upload'));

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, HEAD, PUT, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Range',
  'Access-Control-Expose-Headers': 'Content-Length, Content-Range, Accept-Ranges, ETag',
  'Access-Control-Max-Age': '86400',
};

export class MediaHandler {
  constructor(
    private readonly broker: ServiceBroker,
    private readonly apps: AppDirectory,
    private readonly verifier: SigVerifier,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((err: unknown) => {
      if (err instanceof MediaRefusal) return refuse(req, res, err);
      const code = (err as { data?: { code?: unknown } }).data?.code;
      if (code === MEDIA_ERRORS.QUOTA || code === MEDIA_ERRORS.ALREADY_UPLOADED) return refuse(req, res, new MediaRefusal(code, (err as Error).message));
      this.broker.logger.error(`media ${req.method} failed:`, err);
      refuse(req, res, new MediaRefusal(MEDIA_ERRORS.INTERNAL, 'internal error'));
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://parley');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS);
      return void res.end();
    }
    if (url.pathname === '/v4/parley_media/upload') return restUpload(this.broker, this.apps, this.verifier, req, res, url);
    if (url.pathname.startsWith('/media/u/') && (req.method === 'PUT' || req.method === 'POST')) return this.upload(req, res, url);
    if (url.pathname.startsWith('/media/d/') && (req.method === 'GET' || req.method === 'HEAD')) return this.download(req, res, url);
    throw new MediaRefusal(MEDIA_ERRORS.NOT_FOUND, `no media route ${req.method} ${url.pathname}`);
  }

  private async upload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { verdict, ticket } = readUploadTicket(signingKeys(this.broker), url.pathname, url.searchParams, nowSec());
    refuseVerdict(verdict, 'upload');
    const { config } = runtimeOf(this.broker);
    const maxBytes = limitsOf(this.broker, ticket!.app).maxBytes[ticket!.kind];
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > maxBytes) throw new MediaRefusal(MEDIA_ERRORS.TOO_LARGE, `the file is larger than ${maxBytes} bytes, the app's limit for its type`);
    const blobs = await runtimeOf(this.broker).blobs();
    if (await blobs.head(blobKey(ticket!.app, ticket!.fileKey, 'meta'))) throw new MediaRefusal(MEDIA_ERRORS.ALREADY_UPLOADED, 'this upload URL was used already');
    const file = await ingest(req, { ...ticket!, maxBytes }, { blobs, ledger: ledgerOf(this.broker), tmpDir: config.media.tmpDir });
    json(res, 200, { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '', FileKey: file.fileKey, Size: file.size, Width: file.variants.o?.width ?? 0, Height: file.variants.o?.height ?? 0 });
  }

  private async download(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { verdict, ticket } = readDownloadTicket(signingKeys(this.broker), url.pathname, url.searchParams, nowSec());
    refuseVerdict(verdict, 'download');
    const { app, fileKey, variant } = ticket!;
    const meta = await readMeta(this.broker, app, fileKey);
    const info = meta?.variants[variant] ?? meta?.variants.o;
    if (!meta || !info) throw new MediaRefusal(MEDIA_ERRORS.NOT_FOUND, 'no such file');
    await this.checkReader(url.searchParams, app, fileKey, meta.owner);
    const part = variant === 'o' || info === meta.variants.o ? 'o' : variant;
    const etag = `"${fileKey}-${part}"`;
    const served = part === 'o' ? servedAs(meta.kind, meta.mime) : { contentType: (await (await runtimeOf(this.broker).blobs()).head(blobKey(app, fileKey, part)))?.contentType ?? 'application/octet-stream', attachment: false };
    const headers: Record<string, string | number> = {
      ...CORS,
      'Content-Type': served.contentType,
      'Accept-Ranges': 'bytes',
      ETag: etag,
      'Cache-Control': 'private, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      ...(served.attachment ? { 'Content-Disposition': `attachment; filename="${fileKey}${meta.ext ? `.${meta.ext}` : ''}"` } : {}),
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      return void res.end();
    }
    const range = parseRange(req.headers.range, info.size);
    if (range === 'invalid') {
      res.writeHead(416, { ...headers, 'Content-Range': `bytes */${info.size}` });
      return void res.end();
    }
    const blobs = await runtimeOf(this.broker).blobs();
    const got = await blobs.get(blobKey(app, fileKey, part), range);
    if (!got) throw new MediaRefusal(MEDIA_ERRORS.NOT_FOUND, 'no such file');
    const length = range ? range.end - range.start + 1 : got.size;
    res.writeHead(range ? 206 : 200, { ...headers, 'Content-Length': length, ...(range ? { 'Content-Range': `bytes ${range.start}-${range.end}/${info.size}` } : {}) });
    if (req.method === 'HEAD') {
      got.body.destroy();
      return void res.end();
    }
    await pipeline(got.body, res).catch(() => res.destroy());
  }

  /**
   * The membership check at download (./readers.ts), when the request names its reader: the SDK's
   * `authKey` (the login's RichMsgAuthKey), or an app backend's `identifier` and `usersig`.
   * A download naming no reader is served on its signature alone unless PARLEY_MEDIA_READER_CHECK
   * is `required`.
   */
  private async checkReader(q: URLSearchParams, app: number, fileKey: string, owner: string): Promise<void> {
    const reader = await this.readerOf(q, app);
    if (!reader) {
      if (runtimeOf(this.broker).config.media.readerCheck === 'required') throw new MediaRefusal(MEDIA_ERRORS.NOT_A_READER, 'this download must name its reader (authKey, or identifier and usersig)');
      return;
    }
    if (!(await mayRead(this.broker, app, fileKey, owner, reader))) throw new MediaRefusal(MEDIA_ERRORS.NOT_A_READER, 'the reader is in no conversation of a message carrying this file');
  }

  private async readerOf(q: URLSearchParams, app: number): Promise<Reader | undefined> {
    const admins = this.apps.get(app)?.admins ?? [];
    const authKey = q.get('authKey');
    if (authKey) {
      const { verdict, user } = readReaderKey(signingKeys(this.broker)(app), app, authKey, nowSec());
      refuseVerdict(verdict, 'reader key (authKey) of the');
      return { id: user!, admin: admins.includes(user!) };
    }
    const identifier = q.get('identifier');
    const usersig = q.get('usersig');
    if (!identifier && !usersig) return undefined;
    const check = identifier && usersig ? await this.verifier.verify(app, identifier, usersig) : undefined;
    if (!check?.ok) throw new MediaRefusal(MEDIA_ERRORS.BAD_SIGNATURE, 'identifier and usersig do not prove a user of this app');
    return { id: identifier!, admin: admins.includes(identifier!) };
  }
}

const nowSec = () => Math.floor(Date.now() / 1000);

function refuseVerdict(verdict: Verdict, what: string): void {
  if (verdict === 'bad') throw new MediaRefusal(MEDIA_ERRORS.BAD_SIGNATURE, `the ${what} URL is not valid (altered, or not issued here)`);
  if (verdict === 'expired') throw new MediaRefusal(MEDIA_ERRORS.EXPIRED, `the ${what} URL has expired`);
}

export function json(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...CORS, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * A refusal. If the request body is still arriving (a file over the limit refused on its
 * Content-Length, a bad signature), the connection is closed after the answer rather than
 * reading up to 100 MB nobody wants.
 */
export function refuse(req: IncomingMessage, res: ServerResponse, err: MediaRefusal): void {
  if (res.headersSent) return void res.destroy();
  if (!req.complete) res.setHeader('Connection', 'close');
  json(res, HTTP_STATUS[err.code] ?? 400, { ActionStatus: 'FAIL', ErrorCode: err.code, ErrorInfo: err.message });
  if (!req.complete) res.on('finish', () => req.destroy());
}
