/**
 * FCM HTTP v1: a service-account JWT (RS256, jsonwebtoken) exchanged at the account's OAuth
 * token endpoint for an access token, cached until a minute before it expires; then one POST
 * per device to /v1/projects/<project>/messages:send. UNREGISTERED means the token is gone; a
 * 401 renews the access token once; 429 and 5xx are retried.
 */
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { FcmServiceAccount, FcmSettings } from '../../../actors/apps/settings/push';
import { failed, PROVIDER_TIMEOUT_MS, retryAfterMs, type Notification, type PushProvider, type SendOutcome } from './port';

const SCOPE = 'https://www.googleapis.com/auth/firebase.messaging';
const GOOGLE_TOKEN_URI = 'https://oauth2.googleapis.com/token';
const EARLY_MS = 60_000;

/** The FCM v1 message of a notification (AndroidInfo's Sound and GoogleChannelID honoured). */
export function fcmMessage(token: string, n: Notification): object {
  const info = n.android ?? {};
  const notification: Record<string, unknown> = {};
  if (typeof info.Sound === 'string' && info.Sound) notification.sound = info.Sound;
  if (typeof info.GoogleChannelID === 'string' && info.GoogleChannelID) notification.channel_id = info.GoogleChannelID;
  if (n.badge !== undefined) notification.notification_count = n.badge;
  const ttl = n.expiresAt > 0 ? Math.max(0, n.expiresAt - Math.floor(Date.now() / 1000)) : undefined;
  return {
    message: {
      token,
      notification: { title: n.title, body: n.body },
      data: { ...n.data, ext: n.ext },
      android: { priority: n.priority === 'high' ? 'HIGH' : 'NORMAL', collapse_key: n.collapseId.slice(0, 64), ...(ttl !== undefined ? { ttl: `${ttl}s` } : {}), notification },
    },
  };
}

export class FcmProvider implements PushProvider<FcmSettings> {
  readonly name = 'fcm';
  private readonly tokens = new Map<string, Promise<{ token: string; expiresAt: number }>>();

  /** An access token of the account, from the cache or the token endpoint (one exchange at a time per account). */
  accessToken(sa: FcmServiceAccount, renew = false): Promise<{ token: string; expiresAt: number }> {
    const id = createHash('sha256').update(`${sa.client_email}\n${sa.private_key}`).digest('hex');
    const cached = this.tokens.get(id);
    if (cached && !renew) {
      return cached.then((t) => (t.expiresAt - EARLY_MS > Date.now() ? t : this.accessToken(sa, true)));
    }
    const fresh = exchange(sa);
    this.tokens.set(id, fresh);
    fresh.catch(() => this.tokens.get(id) === fresh && this.tokens.delete(id));
    return fresh;
  }

  async send(c: FcmSettings, token: string, n: Notification): Promise<SendOutcome> {
    const sa = c.serviceAccount;
    if (!sa) return failed('FCM is not configured for the app', false);
    const first = await this.post(c, sa, token, n, false);
    return first === 'renew' ? ((await this.post(c, sa, token, n, true)) as SendOutcome) : first;
  }

  private async post(c: FcmSettings, sa: FcmServiceAccount, token: string, n: Notification, renew: boolean): Promise<SendOutcome | 'renew'> {
    let access: string;
    try {
      access = (await this.accessToken(sa, renew)).token;
    } catch (err) {
      return failed(`FCM OAuth: ${(err as Error).message}`, true);
    }
    const base = c.endpoint || 'https://fcm.googleapis.com';
    try {
      const res = await fetch(`${base}/v1/projects/${encodeURIComponent(sa.project_id)}/messages:send`, {
        method: 'POST',
        headers: { authorization: `Bearer ${access}`, 'content-type': 'application/json' },
        body: JSON.stringify(fcmMessage(token, n)),
        signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
      });
      const text = await res.text();
      if (res.ok) return { ok: true };
      if (res.status === 401 && !renew) return 'renew';
      const code = errorCodeOf(text);
      const why = `FCM ${res.status}${code ? ` ${code}` : ''}`;
      if (code === 'UNREGISTERED' || (res.status === 404 && code === '')) return failed(why, false, true);
      if (res.status === 429 || res.status >= 500 || code === 'UNAVAILABLE' || code === 'INTERNAL' || code === 'QUOTA_EXCEEDED') return failed(why, true, false, retryAfterMs(res.headers.get('retry-after') ?? undefined));
      return failed(why, false);
    } catch (err) {
      return failed(`FCM request: ${(err as Error).message}`, true);
    }
  }

  async close(): Promise<void> {
    this.tokens.clear();
  }
}

/** The FCM error code (details[].errorCode of google.firebase.fcm.v1.FcmError), or ''. */
function errorCodeOf(text: string): string {
  try {
    const error = (JSON.parse(text) as { error?: { status?: string; details?: { errorCode?: string }[] } }).error;
    return error?.details?.find((d) => d.errorCode)?.errorCode ?? error?.status ?? '';
  } catch {
    return '';
  }
}

/** RFC 7523 JWT bearer grant: a signed assertion for an access token. */
async function exchange(sa: FcmServiceAccount): Promise<{ token: string; expiresAt: number }> {
  const aud = sa.token_uri ?? GOOGLE_TOKEN_URI;
  const assertion = jwt.sign({ scope: SCOPE }, sa.private_key, { algorithm: 'RS256', issuer: sa.client_email, audience: aud, expiresIn: 3600 });
  const res = await fetch(aud, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion }).toString(),
    signal: AbortSignal.timeout(PROVIDER_TIMEOUT_MS),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`token endpoint answered ${res.status}`);
  let body: { access_token?: unknown; expires_in?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error('token endpoint answered something that is not JSON');
  }
  if (typeof body.access_token !== 'string' || body.access_token === '') throw new Error('token endpoint answered no access_token');
  const expiresIn = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
  return { token: body.access_token, expiresAt: Date.now() + expiresIn * 1000 };
}
