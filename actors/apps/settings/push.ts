/**
 * Offline push: the provider credentials of an app and the retry policy of its pushes
 * (services/push, docs/push.md). Credentials are checked when they are set, so a key that
 * cannot sign (not ES256, a service account without private key) is refused with a clear
 * error instead of failing every push later. Messages name the field, never its value.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

export interface ApnsSettings {
  /** Apple Developer Team ID (the JWT's iss). '' = APNs off. */
  teamId: string;
  /** Key ID of the .p8 signing key (the JWT's kid). */
  keyId: string;
  /** The .p8 key: PEM of a P-256 (ES256) private key. */
  key: string;
  /** The app's bundle id (apns-topic). */
  bundleId: string;
  /** api.push.apple.com when true, api.sandbox.push.apple.com when false. */
  production: boolean;
  /** Overrides the host (a proxy, or a test server): 'https://host:port' or 'http://…' for HTTP/2 without TLS. '' = Apple's. */
  endpoint: string;
}

export interface FcmServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  /** OAuth token endpoint; default Google's. */
  token_uri?: string;
  [more: string]: unknown;
}

export interface FcmSettings {
  /** The Firebase service-account JSON (null = FCM off). */
  serviceAccount: FcmServiceAccount | null;
  /** Overrides https://fcm.googleapis.com (a proxy, or a test server). '' = Google's. */
  endpoint: string;
}

export interface WebPushSettings {
  /** VAPID keys, base64url: the public key is an uncompressed P-256 point, the private key 32 bytes. '' = Web Push off. */
  publicKey: string;
  privateKey: string;
  /** VAPID subject: mailto: or https: contact of the app's operator. */
  subject: string;
}

export interface PushSettings {
  apns: ApnsSettings;
  fcm: FcmSettings;
  webpush: WebPushSettings;
  /** First retry delay of a push, doubled per failure (±20 % jitter), ms. Default 1000. */
  retryBaseMs: number;
  /** Longest delay between retries, ms. Default 60000. */
  retryMaxMs: number;
  /** A push undelivered this long after it was queued is given up, ms. Default 1 day. */
  retryMaxAgeMs: number;
  /** all_member_push attribute names by number, "0"–"9" (im_set_attr_name). */
  attrNames: Record<string, string>;
}

export const DEFAULT_PUSH: PushSettings = {
  apns: { teamId: '', keyId: '', key: '', bundleId: '', production: true, endpoint: '' },
  fcm: { serviceAccount: null, endpoint: '' },
  webpush: { publicKey: '', privateKey: '', subject: '' },
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  retryMaxAgeMs: 86_400_000,
  attrNames: {},
};

/**
 * The section with every default filled in. Settings merge one level deep (app-settings.ts), so
 * a patch gives each provider's object whole; fields it leaves out take their defaults.
 */
export function pushSettings(settings: { push?: Partial<PushSettings> }): PushSettings {
  const p = settings.push ?? {};
  return {
    ...DEFAULT_PUSH,
    ...p,
    apns: { ...DEFAULT_PUSH.apns, ...p.apns },
    fcm: { ...DEFAULT_PUSH.fcm, ...p.fcm },
    webpush: { ...DEFAULT_PUSH.webpush, ...p.webpush },
  };
}
export const apnsOn = (p: PushSettings) => p.apns.teamId !== '' && p.apns.key !== '';
export const fcmOn = (p: PushSettings) => p.fcm.serviceAccount !== null;
export const webPushOn = (p: PushSettings) => p.webpush.publicKey !== '' && p.webpush.privateKey !== '';
export const anyPushOn = (p: PushSettings) => apnsOn(p) || fcmOn(p) || webPushOn(p);

function privateKey(pem: string): KeyObject | undefined {
  try {
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

const B64URL = /^[A-Za-z0-9_-]+$/;
const b64Bytes = (s: string) => (B64URL.test(s) ? Buffer.from(s, 'base64url').length : -1);

/** What is wrong with the push section, or undefined. */
export function pushProblem(p: PushSettings): string | undefined {
  const a = p.apns;
  if (a.key !== '' || a.teamId !== '') {
    const key = privateKey(a.key);
    if (!key) return 'push.apns.key is not a PEM private key (the .p8 file of an APNs auth key)';
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return 'push.apns.key must be an ES256 key (EC P-256), as Apple issues for token-based authentication';
    if (!/^[A-Z0-9]{1,32}$/i.test(a.teamId)) return 'push.apns.teamId must be the 10-character Team ID';
    if (!/^[A-Z0-9]{1,32}$/i.test(a.keyId)) return 'push.apns.keyId must be the 10-character Key ID';
    if (a.bundleId === '') return 'push.apns.bundleId is needed (the apns-topic)';
  }
  const sa = p.fcm.serviceAccount;
  if (sa) {
    if (typeof sa.private_key !== 'string' || sa.private_key === '') return 'push.fcm.serviceAccount has no private_key';
    const key = privateKey(sa.private_key);
    if (!key || key.asymmetricKeyType !== 'rsa') return 'push.fcm.serviceAccount.private_key must be an RSA private key in PEM (RS256)';
    if (typeof sa.client_email !== 'string' || sa.client_email === '') return 'push.fcm.serviceAccount has no client_email';
    if (typeof sa.project_id !== 'string' || sa.project_id === '') return 'push.fcm.serviceAccount has no project_id';
    if (sa.token_uri !== undefined && !/^https?:\/\//.test(String(sa.token_uri))) return 'push.fcm.serviceAccount.token_uri must be an http(s) URL';
  }
  const w = p.webpush;
  if (w.publicKey !== '' || w.privateKey !== '') {
    if (b64Bytes(w.publicKey) !== 65) return 'push.webpush.publicKey must be a base64url uncompressed P-256 public key (65 bytes)';
    if (b64Bytes(w.privateKey) !== 32) return 'push.webpush.privateKey must be a base64url P-256 private key (32 bytes)';
    if (!/^(mailto:|https:)/.test(w.subject)) return 'push.webpush.subject must be a mailto: or https: URL';
    try {
      createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: Buffer.from(w.publicKey, 'base64url').subarray(1, 33).toString('base64url'), y: Buffer.from(w.publicKey, 'base64url').subarray(33).toString('base64url') }, format: 'jwk' });
    } catch {
      return 'push.webpush.publicKey is not a point of P-256';
    }
  }
  for (const e of [a.endpoint, p.fcm.endpoint]) if (e !== '' && !/^https?:\/\/[^/]+$/.test(e)) return 'push endpoints must be http(s)://host[:port] without a path';
  if (p.retryMaxMs < p.retryBaseMs) return 'push.retryMaxMs must be at least push.retryBaseMs';
  for (const [k, v] of Object.entries(p.attrNames)) {
    if (!/^[0-9]$/.test(k) || typeof v !== 'string' || v === '' || Buffer.byteLength(v) > 50) return 'push.attrNames maps "0"–"9" to names of 1–50 bytes';
  }
  return undefined;
}

const str = (max: number) => ({ type: 'string', max, optional: true });

/** fastest-validator rule of the section; the checker speaks both custom conventions (see services/messages/push-info.ts). */
export const PUSH_RULE = {
  type: 'object',
  strict: true,
  props: {
    apns: { type: 'object', strict: true, optional: true, props: { teamId: str(32), keyId: str(32), key: str(4096), bundleId: str(256), production: { type: 'boolean', optional: true }, endpoint: str(256) } },
    fcm: { type: 'object', strict: true, optional: true, props: { serviceAccount: { type: 'object', nullable: true, optional: true }, endpoint: str(256) } },
    webpush: { type: 'object', strict: true, optional: true, props: { publicKey: str(128), privateKey: str(128), subject: str(256) } },
    retryBaseMs: { type: 'number', integer: true, min: 10, max: 600_000, optional: true },
    retryMaxMs: { type: 'number', integer: true, min: 10, max: 3_600_000, optional: true },
    retryMaxAgeMs: { type: 'number', integer: true, min: 1000, max: 7 * 86_400_000, optional: true },
    attrNames: { type: 'object', optional: true },
  },
  custom(value: unknown, second: unknown): unknown {
    const problem = value && typeof value === 'object' ? pushProblem(pushSettings({ push: value as PushSettings })) : undefined;
    const errors = problem === undefined ? [] : [{ type: 'pushSettings', message: problem, actual: undefined }];
    if (Array.isArray(second)) {
      second.push(...errors);
      return value;
    }
    return errors.length > 0 ? errors : true;
  },
};

/** The section as shown to operators: private keys replaced by a mark (console, CLI listings). */
export function redactPush(p: PushSettings): PushSettings {
  const hide = (s: string) => (s === '' ? '' : '(set)');
  return {
    ...p,
    apns: { ...p.apns, key: hide(p.apns.key) },
    fcm: { ...p.fcm, serviceAccount: p.fcm.serviceAccount && { ...p.fcm.serviceAccount, private_key: hide(p.fcm.serviceAccount.private_key) } },
    webpush: { ...p.webpush, privateKey: hide(p.webpush.privateKey) },
  };
}
