/**
 * Signed media URLs. An upload URL is a one-file ticket: app, file key, kind, uploader, the
 * extension and an expiry, under an HMAC-SHA256; a download URL names one object (original,
 * large or thumbnail) with its expiry. Tickets are issued only to callers who may use them
 * (the logged-in uploader; the members a message reaches), and each node checks them without
 * shared state. The key comes from PARLEY_MEDIA_SECRET or, unset, from the app's secret key
 * (rotating it revokes every URL handed out before); neither is ever logged.
 *
 *   <public>/media/u/<app>/<fileKey>?k=<kind>&o=<uploader>&x=<ext>&e=<expiry s>&s=<sig>
 *   <public>/media/d/<app>/<fileKey>/<o|l|t>?e=<expiry s>&s=<sig>
 */
import crypto from 'node:crypto';
import type { MediaKindName } from '../../actors/media';

export type Variant = 'o' | 'l' | 't';

export interface UploadTicket {
  app: number;
  fileKey: string;
  kind: MediaKindName;
  owner: string;
  /** Extension the file keeps (from its name; letters and digits only), or ''. */
  ext: string;
  expires: number;
}

export interface DownloadTicket {
  app: number;
  fileKey: string;
  variant: Variant;
  expires: number;
}

export const FILE_KEY = /^[0-9a-f]{32}$/;
export const UPLOAD_PATH = /^\/media\/u\/(\d{1,10})\/([0-9a-f]{32})$/;
export const DOWNLOAD_PATH = /^\/media\/d\/(\d{1,10})\/([0-9a-f]{32})\/([olt])$/;

export const newFileKey = () => crypto.randomBytes(16).toString('hex');

/** The HMAC key of an app's media URLs. */
export function mediaKey(secret: string, app: number): Buffer {
  return crypto.createHash('sha256').update(`parley-media\u0000${secret}\u0000${app}`).digest();
}

const mac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest('base64url');
const uploadText = (t: UploadTicket) => ['u', t.app, t.fileKey, t.kind, t.owner, t.ext, t.expires].join('\n');
const downloadText = (t: DownloadTicket) => ['d', t.app, t.fileKey, t.variant, t.expires].join('\n');

export function uploadUrl(base: string, key: Buffer, t: UploadTicket): string {
  const q = new URLSearchParams({ k: t.kind, o: t.owner, x: t.ext, e: String(t.expires), s: mac(key, uploadText(t)) });
  return `${base}/media/u/${t.app}/${t.fileKey}?${q}`;
}

export function downloadUrl(base: string, key: Buffer, t: DownloadTicket): string {
  return `${base}/media/d/${t.app}/${t.fileKey}/${t.variant}?e=${t.expires}&s=${mac(key, downloadText(t))}`;
}

export type Verdict = 'ok' | 'bad' | 'expired';

function check(key: Buffer, text: string, sig: string | null, expires: number, nowSec: number): Verdict {
  if (!sig || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return 'bad';
  if (!crypto.timingSafeEqual(Buffer.from(mac(key, text)), Buffer.from(sig))) return 'bad';
  return expires < nowSec ? 'expired' : 'ok';
}

/** The upload ticket a URL carries, with the verdict on its signature and expiry. */
export function readUploadTicket(key: (app: number) => Buffer | undefined, path: string, q: URLSearchParams, nowSec: number): { verdict: Verdict; ticket?: UploadTicket } {
  const m = UPLOAD_PATH.exec(path);
  const kind = q.get('k');
  const expires = q.get('e');
  if (!m || !kind || !['image', 'audio', 'video', 'file'].includes(kind) || !expires || !/^\d{1,12}$/.test(expires)) return { verdict: 'bad' };
  const ticket: UploadTicket = { app: Number(m[1]), fileKey: m[2], kind: kind as MediaKindName, owner: q.get('o') ?? '', ext: q.get('x') ?? '', expires: Number(expires) };
  const k = key(ticket.app);
  if (!k) return { verdict: 'bad' };
  return { verdict: check(k, uploadText(ticket), q.get('s'), ticket.expires, nowSec), ticket };
}

/** The download ticket of a URL path and query, with the verdict on its signature and expiry. */
export function readDownloadTicket(key: (app: number) => Buffer | undefined, path: string, q: URLSearchParams, nowSec: number): { verdict: Verdict; ticket?: DownloadTicket } {
  const m = DOWNLOAD_PATH.exec(path);
  const expires = q.get('e');
  if (!m || !expires || !/^\d{1,12}$/.test(expires)) return { verdict: 'bad' };
  const ticket: DownloadTicket = { app: Number(m[1]), fileKey: m[2], variant: m[3] as Variant, expires: Number(expires) };
  const k = key(ticket.app);
  if (!k) return { verdict: 'bad' };
  return { verdict: check(k, downloadText(ticket), q.get('s'), ticket.expires, nowSec), ticket };
}

/** A safe extension from a client's file name: the part after the last dot, letters and digits, at most 10; else ''. */
export function extensionOf(name: string | undefined): string {
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(name ?? '');
  return m ? m[1].toLowerCase() : '';
}

/**
 * A reader key: who is downloading, for the membership check at download (./readers.ts). The SDK
 * gets it at login as `RichMsgAuthKey` and, when it runs with `fileDownloadProxy`, appends it as
 * `authKey=` to every media URL it hands the app. `r1.<user b64url>.<expiry s>.<mac>`, living as
 * long as the login's UserSig.
 */
const readerText = (app: number, user: string, expires: number) => ['r', app, user, expires].join('\n');

export function readerKey(key: Buffer, app: number, user: string, expires: number): string {
  return `r1.${Buffer.from(user).toString('base64url')}.${expires}.${mac(key, readerText(app, user, expires))}`;
}

/** The user a reader key names, with the verdict on its signature and expiry. */
export function readReaderKey(key: Buffer | undefined, app: number, text: string, nowSec: number): { verdict: Verdict; user?: string } {
  const m = /^r1\.([A-Za-z0-9_-]{1,200})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(text);
  if (!m || !key) return { verdict: 'bad' };
  const user = Buffer.from(m[1], 'base64url').toString('utf8');
  return { verdict: check(key, readerText(app, user, Number(m[2])), m[3], Number(m[2]), nowSec), user };
}
