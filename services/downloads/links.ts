/**
 * Signed, expiring download URLs of get_history's files:
 *   <PARLEY_PUBLIC_URL>/download/history/<app>/<C2C|Group>/<YYYYMMDDHH>/<part>?expires=<unix s>&sig=<hex>
 * The signature is an HMAC-SHA256 of the path and expiry under a key derived from the app's
 * secret key, so every node checks a link without shared state, and rotating the secret key
 * revokes every link handed out before.
 */
import crypto from 'node:crypto';
import type { ChatType } from './hour-file';

export interface Link {
  app: number;
  type: ChatType;
  hour: string;
  part: number;
}

export const LINK_PATH = /^\/download\/history\/(\d{1,10})\/(C2C|Group)\/(\d{10})\/(\d{1,4})$/;

const keyOf = (secretKey: string) => crypto.createHash('sha256').update(`parley-history-download\u0000${secretKey}`).digest();
const pathOf = (l: Link) => `/download/history/${l.app}/${l.type}/${l.hour}/${l.part}`;

function signature(secretKey: string, l: Link, expires: number): string {
  return crypto.createHmac('sha256', keyOf(secretKey)).update(`${pathOf(l)}\n${expires}`).digest('hex');
}

export function signedUrl(base: string, secretKey: string, l: Link, expires: number): string {
  return `${base}${pathOf(l)}?expires=${expires}&sig=${signature(secretKey, l, expires)}`;
}

/** 'ok', or why the link is refused. */
export function checkLink(secretKey: string, l: Link, expires: string | null, sig: string | null, nowSec: number): 'ok' | 'bad' | 'expired' {
  if (!expires || !/^\d{1,12}$/.test(expires) || !sig || !/^[0-9a-f]{64}$/.test(sig)) return 'bad';
  const want = Buffer.from(signature(secretKey, l, Number(expires)), 'hex');
  if (!crypto.timingSafeEqual(want, Buffer.from(sig, 'hex'))) return 'bad';
  return Number(expires) < nowSec ? 'expired' : 'ok';
}

/** The first instant of an hour `YYYYMMDDHH` in the configured time zone; undefined if no such hour. */
export function hourStart(hour: string, offsetMin: number): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(hour);
  if (!m) return undefined;
  const [y, mo, d, h] = m.slice(1).map(Number);
  const local = Date.UTC(y, mo - 1, d, h);
  const back = new Date(local);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || back.getUTCHours() !== h) return undefined;
  return local - offsetMin * 60_000;
}

/** `YYYY-MM-DD HH:mm:ss` of an instant in the configured time zone (ExpireTime). */
export function wallClock(ms: number, offsetMin: number): string {
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}
