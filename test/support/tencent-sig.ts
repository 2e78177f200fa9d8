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
