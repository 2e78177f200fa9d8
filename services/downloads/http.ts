/**
 * GET /download/history/…: the files get_history hands out, answered by the gateway's HTTP
 * server ahead of moleculer-web (like /v4 and /console). The link's signature and expiry are
 * checked (links.ts) and the file made again from the event log, byte for byte what
 * get_history described (or taken from the cache of recent files).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBroker } from 'moleculer';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { AppDirectory } from '../apps/registry';
import { cachedHourFiles, type ChatType } from './hour-file';
import { checkLink, hourStart, LINK_PATH } from './links';

export const isDownloadPath = (url: string | undefined) => !!url?.startsWith('/download/');

export class DownloadHandler {
  constructor(
    private readonly broker: ServiceBroker,
    private readonly apps: AppDirectory,
  ) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.serve(req, res).catch((err: Error) => {
      this.broker.logger.error('download failed:', err);
      if (!res.headersSent) text(res, 500, 'internal error');
    });
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return text(res, 405, 'only GET and HEAD are served');
    const url = new URL(req.url ?? '/', 'http://parley');
    const m = LINK_PATH.exec(url.pathname);
    if (!m) return text(res, 404, 'not found');
    const link = { app: Number(m[1]), type: m[2] as ChatType, hour: m[3], part: Number(m[4]) };
    const secret = this.apps.get(link.app)?.secretKey;
    const verdict = secret ? checkLink(secret, link, url.searchParams.get('expires'), url.searchParams.get('sig'), Math.floor(Date.now() / 1000)) : 'bad';
    if (verdict === 'bad') return text(res, 403, 'the link is not valid');
    if (verdict === 'expired') return text(res, 410, 'the link has expired: ask get_history for a new one');
    const { config, store } = runtimeOf(this.broker);
    const file = (await cachedHourFiles(store, link.app, link.type, hourStart(link.hour, config.ops.utcOffsetMin)!))[link.part];
    if (!file) return text(res, 404, 'no such file');
    res.writeHead(200, {
      'Content-Type': 'application/gzip',
      'Content-Length': file.gzip.length,
      'Content-Disposition': `attachment; filename="${link.type.toLowerCase()}-${link.hour}-${link.part}.json.gz"`,
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(req.method === 'HEAD' ? undefined : file.gzip);
  }
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}
