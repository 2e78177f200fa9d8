/**
 * A UserSig generator written from Tencent's TLSSigAPIv2 description alone (node:crypto and
 * zlib), so e2e tests sign the way an app backend does and never reuse the server's own code.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';

export interface SigInput {
  sdkAppId: number;
  key: string;
  userId: string;
  /** Validity in seconds. Default 86400. */
  expire?: number;
  /** Issue time in unix seconds. Default now. */
  now?: number;
}

export function tencentUserSig({ sdkAppId, key, userId, expire = 86400, now = Math.floor(Date.now() / 1000) }: SigInput): string {
  const content = `TLS.identifier:${userId}\nTLS.sdkappid:${sdkAppId}\nTLS.time:${now}\nTLS.expire:${expire}\n`;
  const sig = crypto.createHmac('sha256', key).update(content).digest('base64');
  const doc = { 'TLS.ver': '2.0', 'TLS.identifier': userId, 'TLS.sdkappid': sdkAppId, 'TLS.expire': expire, 'TLS.time': now, 'TLS.sig': sig };
  const packed = zlib.deflateSync(Buffer.from(JSON.stringify(doc))).toString('base64');
  return packed.replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

/** The JSON document inside a UserSig, and whether its HMAC matches `key`. */
export function decodeUserSig(userSig: string, key: string): { doc: Record<string, unknown>; signedWithKey: boolean } {
  const packed = Buffer.from(userSig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '='), 'base64');
  const doc = JSON.parse(zlib.inflateSync(packed).toString('utf8')) as Record<string, unknown>;
  const content = `TLS.identifier:${doc['TLS.identifier']}\nTLS.sdkappid:${doc['TLS.sdkappid']}\nTLS.time:${doc['TLS.time']}\nTLS.expire:${doc['TLS.expire']}\n`;
  const expected = crypto.createHmac('sha256', key).update(content).digest('base64');
  return { doc, signedWithKey: expected === doc['TLS.sig'] };
}
