/**
 * Session identifiers the SDK needs after login: TinyId (a stable number per user, the prefix
 * of message IDs), InstId (per login) and the A2Key, the ticket the SDK re-logs in with after a
 * reconnect instead of the UserSig.
 *
 * An A2Key is `v1.<UserID b64url>.<InstId>.<issued>.<expires>.<mac>`, the mac an HMAC-SHA256
 * under the app's secret key: any node of the cluster verifies it without shared state. It
 * expires with the UserSig it was issued for, and a kick voids it like the sigs issued before it.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { UserSigErrorCode } from '../auth/usersig';

/** Tencent's tiny ids sit just above 2^57; ours add 48 bits of a hash of (app, user). */
const TINY_BASE = 1n << 57n;

export function tinyIdOf(sdkAppId: number, userId: string): string {
  const hash = createHash('sha256').update(`${sdkAppId}\u0000${userId}`).digest();
  return (TINY_BASE + hash.readBigUInt64BE(0) % (1n << 48n)).toString();
}

/** A non-zero InstId, unique in practice (47 random bits, a safe integer). */
export function newInstId(): number {
  return randomBytes(6).readUIntBE(0, 6) % 2 ** 47 || 1;
}

export interface A2Claims {
  userId: string;
  instId: number;
  /** Unix seconds. */
  issuedAt: number;
  expiresAt: number;
}

function mac(secretKey: string, sdkAppId: number, c: A2Claims): Buffer {
  return createHmac('sha256', secretKey)
    .update(`parley-a2\n${sdkAppId}\n${c.userId}\n${c.instId}\n${c.issuedAt}\n${c.expiresAt}`)
    .digest()
    .subarray(0, 16);
}

export function issueA2(secretKey: string, sdkAppId: number, c: A2Claims): string {
  const user = Buffer.from(c.userId, 'utf8').toString('base64url');
  return `v1.${user}.${c.instId}.${c.issuedAt}.${c.expiresAt}.${mac(secretKey, sdkAppId, c).toString('base64url')}`;
}

export type A2Check = { ok: true; claims: A2Claims } | { ok: false; code: number; reason: string };

const NUM = /^\d{1,16}$/;

export function verifyA2(secretKey: string, sdkAppId: number, a2: string, nowSec: number): A2Check {
  const parts = a2.split('.');
  if (parts.length !== 6 || parts[0] !== 'v1' || !NUM.test(parts[2]) || !NUM.test(parts[3]) || !NUM.test(parts[4])) {
    return { ok: false, code: UserSigErrorCode.UNDECODABLE, reason: 'A2Key is malformed' };
  }
  const claims: A2Claims = {
    userId: Buffer.from(parts[1], 'base64url').toString('utf8'),
    instId: Number(parts[2]),
    issuedAt: Number(parts[3]),
    expiresAt: Number(parts[4]),
  };
  // Compared as text: base64url's last character carries spare bits, so decoding would accept
  // several spellings of one mac.
  const given = Buffer.from(parts[5]);
  const expected = Buffer.from(mac(secretKey, sdkAppId, claims).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, code: UserSigErrorCode.SIGNATURE_MISMATCH, reason: 'A2Key signature does not match' };
  }
  if (nowSec > claims.expiresAt) return { ok: false, code: UserSigErrorCode.EXPIRED, reason: 'A2Key expired' };
  return { ok: true, claims };
}
