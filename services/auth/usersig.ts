/**
 * UserSig (Tencent TLSSigAPIv2, HMAC-SHA256 flavour): issue and check the login ticket that
 * Tencent Cloud Chat clients and REST callers present.
 *
 * Wire format: a JSON document of TLS.* fields, zlib-compressed, then standard base64 with
 * '+' '/' '=' swapped for '*' '-' '_'. The HMAC covers a fixed line-oriented content string,
 * never the JSON itself, which is why verification parses the document and recomputes the
 * HMAC instead of regenerating and comparing whole sigs: the official generators disagree on
 * key order, whitespace, number-vs-string encoding and zlib level.
 *
 * Pure: no clock unless genUserSig is called without `now`, no I/O beyond node:crypto/zlib.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';

export type GenUserSigInput = {
  sdkAppId: number;
  secretKey: string;
  identifier: string;
  /** Validity in seconds, counted from `now` (a duration, not an instant). */
  expireSeconds: number;
  /** Issue time, unix seconds; defaults to the wall clock. */
  now?: number;
  /** Optional opaque payload (TRTC PrivateMapKey); IM sigs carry none. */
  userBuf?: Buffer;
};

export type VerifyExpectation = {
  sdkAppId: number;
  identifier: string;
  secretKey: string;
  /** Unix seconds. */
  now: number;
};

export type VerifyResult =
  | {
      ok: true;
      identifier: string;
      sdkAppId: number;
      time: number;
      expire: number;
      expiresAt: number;
      /** Present only when the sig carried TLS.userbuf. */
      userBuf?: Buffer;
    }
  | { ok: false; code: number; reason: string };

/**
 * Tencent's public 70xxx codes. Tencent does not document which internal check yields which
 * code, so the split between 70003 (could not decode) and 70005 (decoded but not a valid
 * document) is our guess; both are listed by Tencent as "UserSig invalid / parse failed".
 */
export const UserSigErrorCode = {
  EXPIRED: 70001,
  EMPTY: 70002,
  UNDECODABLE: 70003,
  BAD_DOCUMENT: 70005,
  SIGNATURE_MISMATCH: 70009,
  IDENTIFIER_MISMATCH: 70013,
  SDKAPPID_MISMATCH: 70014,
  KEY_NOT_FOUND: 70016,
} as const;

const MAX_INFLATED_BYTES = 64 * 1024; // a real document is ~200 bytes; caps zip bombs

/**
 * How far an issue time (TLS.time) may lie ahead of our clock, seconds: the clock skew between
 * an app backend and this server that we forgive. Tencent's own verifier has no such check,
 * but without it a sig "issued" decades ahead never expires in practice and outlives the rule
 * that a kick voids earlier sigs (services/auth/verifier.ts compares TLS.time with the kick).
 */
export const MAX_CLOCK_SKEW_SEC = 300;
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

type SignedFields = {
  identifier: string;
  sdkAppId: number;
  time: number;
  expire: number;
  userBufB64?: string;
};

function contentToSign(f: SignedFields): string {
  let content =
    `TLS.identifier:${f.identifier}\n` +
    `TLS.sdkappid:${f.sdkAppId}\n` +
    `TLS.time:${f.time}\n` +
    `TLS.expire:${f.expire}\n`;
  if (f.userBufB64 !== undefined) content += `TLS.userbuf:${f.userBufB64}\n`;
  return content;
}

function hmac(secretKey: string, f: SignedFields): Buffer {
  // The console key is used as its UTF-8 text, not hex-decoded.
  return createHmac('sha256', Buffer.from(secretKey, 'utf8'))
    .update(contentToSign(f), 'utf8')
    .digest();
}

function toTencentBase64(data: Buffer): string {
  return data.toString('base64').replace(/\+/g, '*').replace(/\//g, '-').replace(/=/g, '_');
}

function fromTencentBase64(sig: string): Buffer | undefined {
  const std = sig.replace(/\*/g, '+').replace(/-/g, '/').replace(/_/g, '=');
  // Buffer.from silently skips junk characters, so validate the alphabet and padding first.
  return STD_BASE64.test(std) ? Buffer.from(std, 'base64') : undefined;
}

function isNonNegativeInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 0;
}

export function genUserSig(input: GenUserSigInput): string {
  const { sdkAppId, secretKey, identifier, expireSeconds, userBuf } = input;
  const time = input.now ?? Math.floor(Date.now() / 1000);
  if (!isNonNegativeInteger(sdkAppId) || sdkAppId === 0) throw new RangeError('sdkAppId must be a positive integer');
  if (!isNonNegativeInteger(expireSeconds)) throw new RangeError('expireSeconds must be a non-negative integer');
  if (!isNonNegativeInteger(time)) throw new RangeError('now must be non-negative unix seconds');
  if (secretKey.length === 0) throw new RangeError('secretKey must not be empty');
  if (identifier.length === 0) throw new RangeError('identifier must not be empty');

  const userBufB64 = userBuf?.toString('base64');
  const fields: SignedFields = { identifier, sdkAppId, time, expire: expireSeconds, userBufB64 };
  const doc: Record<string, string | number> = {
    'TLS.ver': '2.0',
    'TLS.identifier': identifier,
    'TLS.sdkappid': sdkAppId,
    'TLS.expire': expireSeconds,
    'TLS.time': time,
  };
  if (userBufB64 !== undefined) doc['TLS.userbuf'] = userBufB64;
  doc['TLS.sig'] = hmac(secretKey, fields).toString('base64');
  return toTencentBase64(deflateSync(Buffer.from(JSON.stringify(doc), 'utf8')));
}

function fail(code: number, reason: string): VerifyResult {
  return { ok: false, code, reason };
}

/** Some generators write sdkappid/time/expire as JSON numbers, others as decimal strings. */
function readInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return isNonNegativeInteger(value) ? value : undefined;
  if (typeof value === 'string' && DECIMAL.test(value)) {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

type ParsedSig = SignedFields & { sig: Buffer };

function parseDocument(json: string): ParsedSig | string {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    return 'document is not JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'document is not a JSON object';
  const d = doc as Record<string, unknown>;
  if (d['TLS.ver'] !== '2.0') return 'TLS.ver is not "2.0"';
  const identifier = d['TLS.identifier'];
  const sdkAppId = readInteger(d['TLS.sdkappid']);
  const time = readInteger(d['TLS.time']);
  const expire = readInteger(d['TLS.expire']);
  const sig = d['TLS.sig'];
  const userBuf = d['TLS.userbuf'];
  if (typeof identifier !== 'string' || identifier.length === 0) return 'TLS.identifier missing or not a string';
  if (sdkAppId === undefined) return 'TLS.sdkappid missing or not an integer';
  if (time === undefined) return 'TLS.time missing or not an integer';
  // Go's generator omits a zero expire (omitempty); such a sig is dead on arrival, so treating
  // it as malformed (70005) rather than expired (70001) costs nothing.
  if (expire === undefined) return 'TLS.expire missing or not an integer';
  if (typeof sig !== 'string' || sig.length === 0 || !STD_BASE64.test(sig)) return 'TLS.sig missing or not base64';
  if (userBuf !== undefined && (typeof userBuf !== 'string' || !STD_BASE64.test(userBuf))) {
    return 'TLS.userbuf is not base64';
  }
  // Re-encode like Go's verifier does, so the signed line uses the canonical base64 form.
  const userBufB64 = userBuf === undefined ? undefined : Buffer.from(userBuf, 'base64').toString('base64');
  return { identifier, sdkAppId, time, expire, userBufB64, sig: Buffer.from(sig, 'base64') };
}

export function verifyUserSig(sig: string, expect: VerifyExpectation): VerifyResult {
  if (sig.length === 0) return fail(UserSigErrorCode.EMPTY, 'UserSig is empty');
  const compressed = fromTencentBase64(sig);
  if (compressed === undefined) return fail(UserSigErrorCode.UNDECODABLE, 'UserSig is not valid base64');
  let json: string;
  try {
    json = inflateSync(compressed, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch {
    return fail(UserSigErrorCode.UNDECODABLE, 'UserSig is truncated or not a zlib stream');
  }
  const parsed = parseDocument(json);
  if (typeof parsed === 'string') return fail(UserSigErrorCode.BAD_DOCUMENT, parsed);

  if (parsed.sdkAppId !== expect.sdkAppId) {
    return fail(UserSigErrorCode.SDKAPPID_MISMATCH, 'SDKAppID does not match');
  }
  if (parsed.identifier !== expect.identifier) {
    return fail(UserSigErrorCode.IDENTIFIER_MISMATCH, 'identifier does not match');
  }
  if (expect.secretKey.length === 0) {
    return fail(UserSigErrorCode.KEY_NOT_FOUND, 'no secret key for this SDKAppID');
  }

  const expected = hmac(expect.secretKey, parsed);
  if (parsed.sig.length !== expected.length || !timingSafeEqual(parsed.sig, expected)) {
    return fail(UserSigErrorCode.SIGNATURE_MISMATCH, 'signature does not match the key');
  }
  // Checked after the HMAC so a forged sig never reads as merely stale. Tencent's Go verifier
  // treats the last second (now === time + expire) as still valid; so do we.
  const expiresAt = parsed.time + parsed.expire;
  if (expect.now > expiresAt) return fail(UserSigErrorCode.EXPIRED, 'UserSig expired');
  // Tencent documents no code for a sig from the future; 70001 is the code of every other
  // validity-window failure here (expired, issued before a kick), and what makes an app backend
  // or the SDK fetch a new sig, which is the remedy once the issuer's clock is right.
  if (parsed.time > expect.now + MAX_CLOCK_SKEW_SEC) {
    return fail(UserSigErrorCode.EXPIRED, `UserSig issued ${parsed.time - expect.now} s in the future (TLS.time ${parsed.time}); more than ${MAX_CLOCK_SKEW_SEC} s of clock skew`);
  }

  const { identifier, sdkAppId, time, expire, userBufB64 } = parsed;
  const result: VerifyResult = { ok: true, identifier, sdkAppId, time, expire, expiresAt };
  if (userBufB64 !== undefined) result.userBuf = Buffer.from(userBufB64, 'base64');
  return result;
}
