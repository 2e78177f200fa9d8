/**
 * APNs over HTTP/2 (node:http2) with token-based authentication: an ES256 provider JWT
 * (jsonwebtoken) per key, reused and refreshed after 50 minutes (Apple refuses tokens older
 * than an hour, and ones renewed more often than every 20 minutes); one kept-alive HTTP/2
 * session per APNs host, its streams multiplexed. 410 and BadDeviceToken mean the token is
 * gone; an expired or refused provider token is renewed and the push retried.
 */
import http2 from 'node:http2';
import { createHash } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { ApnsSettings } from '../../../actors/apps/settings/push';
import { failed, PROVIDER_TIMEOUT_MS, retryAfterMs, type Notification, type PushProvider, type SendOutcome } from './port';

const TOKEN_TTL_MS = 50 * 60_000;
const PAYLOAD_MAX = 4096;
const GONE = new Set(['BadDeviceToken', 'Unregistered', 'DeviceTokenNotForTopic']);
const RENEW = new Set(['ExpiredProviderToken', 'InvalidProviderToken']);

export const apnsHost = (c: ApnsSettings) => c.endpoint || (c.production ? 'https://api.push.apple.com' : 'https://api.sandbox.push.apple.com');

/** The aps payload of a notification (ApnsInfo overrides), kept within APNs' 4 KB by shortening the body. */
export function apnsPayload(n: Notification): string {
  const info = n.apns ?? {};
  const alert: Record<string, string> = { title: typeof info.Title === 'string' && info.Title ? info.Title : n.title, body: n.body };
  if (typeof info.SubTitle === 'string' && info.SubTitle) alert.subtitle = info.SubTitle;
  const aps: Record<string, unknown> = { alert, sound: typeof info.Sound === 'string' && info.Sound ? info.Sound : 'default' };
  if (n.badge !== undefined) aps.badge = n.badge;
  if (info.MutableContent === 1) aps['mutable-content'] = 1;
  const payload: Record<string, unknown> = { aps, ...n.data, ext: n.ext };
  if (typeof info.Image === 'string' && info.Image) payload.image = info.Image;
  let text = JSON.stringify(payload);
  while (Buffer.byteLength(text) > PAYLOAD_MAX && alert.body.length > 0) {
    alert.body = alert.body.slice(0, Math.max(0, alert.body.length - Math.ceil((Buffer.byteLength(text) - PAYLOAD_MAX) / 2) - 1));
    text = JSON.stringify(payload);
  }
  return text;
}

/** apns-collapse-id is at most 64 bytes: longer ids are hashed. */
const collapseIdOf = (id: string) => (Buffer.byteLength(id) <= 64 ? id : createHash('sha256').update(id).digest('hex'));

export class ApnsProvider implements PushProvider<ApnsSettings> {
  readonly name = 'apns';
  private readonly sessions = new Map<string, http2.ClientHttp2Session>();
  private readonly tokens = new Map<string, { jwt: string; at: number }>();
  /** The digest of each key seen, so that a push does not hash the key again (bench/push.ts profile). */
  private readonly keyDigests = new Map<string, string>();

  /** The provider JWT of a key, renewed after TOKEN_TTL_MS or when APNs refused it. */
  providerToken(c: ApnsSettings, renew = false): string {
    let digest = this.keyDigests.get(c.key);
    if (digest === undefined) this.keyDigests.set(c.key, (digest = createHash('sha256').update(c.key).digest('hex')));
    const id = `${c.teamId}:${c.keyId}:${digest}`;
    const cached = this.tokens.get(id);
    if (cached && !renew && Date.now() - cached.at < TOKEN_TTL_MS) return cached.jwt;
    const token = jwt.sign({ iss: c.teamId }, c.key, { algorithm: 'ES256', keyid: c.keyId });
    this.tokens.set(id, { jwt: token, at: Date.now() });
    return token;
  }

  async send(c: ApnsSettings, token: string, n: Notification): Promise<SendOutcome> {
    const first = await this.request(c, token, n, false);
    if (first.ok || !('renew' in first)) return first;
    return this.request(c, token, n, true);
  }

  private session(origin: string): http2.ClientHttp2Session {
    const open = this.sessions.get(origin);
    if (open && !open.closed && !open.destroyed) return open;
    const session = http2.connect(origin);
    // A session error must never become an uncaught 'error' event: its streams fail on their own.
    session.on('error', () => this.sessions.get(origin) === session && this.sessions.delete(origin));
    session.on('goaway', () => this.sessions.get(origin) === session && this.sessions.delete(origin));
    session.on('close', () => this.sessions.get(origin) === session && this.sessions.delete(origin));
    session.unref();
    this.sessions.set(origin, session);
    return session;
  }

  private request(c: ApnsSettings, token: string, n: Notification, renew: boolean): Promise<SendOutcome | (SendOutcome & { renew: true })> {
    return new Promise((resolve) => {
      let req: http2.ClientHttp2Stream;
      try {
        const headers: http2.OutgoingHttpHeaders = {
          ':method': 'POST',
          ':path': `/3/device/${encodeURIComponent(token)}`,
          authorization: `bearer ${this.providerToken(c, renew)}`,
          'apns-topic': c.bundleId,
          'apns-push-type': 'alert',
          'apns-priority': n.priority === 'high' ? '10' : '5',
          'apns-collapse-id': collapseIdOf(n.collapseId),
          'apns-expiration': String(n.expiresAt),
          'content-type': 'application/json',
        };
        req = this.session(apnsHost(c)).request(headers);
      } catch (err) {
        return resolve(failed(`APNs connection: ${(err as Error).message}`, true));
      }
      let status = 0;
      let retryAfter: number | undefined;
      const chunks: Buffer[] = [];
      req.setTimeout(PROVIDER_TIMEOUT_MS, () => {
        req.close(http2.constants.NGHTTP2_CANCEL);
        resolve(failed(`APNs did not answer within ${PROVIDER_TIMEOUT_MS} ms`, true));
      });
      req.on('response', (h) => {
        status = Number(h[':status']);
        retryAfter = retryAfterMs(h['retry-after'] as string | undefined);
      });
      req.on('data', (chunk: Buffer) => chunks.length < 16 && chunks.push(chunk));
      req.on('error', (err) => resolve(failed(`APNs stream: ${err.message}`, true)));
      req.on('end', () => resolve(outcome(status, Buffer.concat(chunks).toString('utf8'), renew, retryAfter)));
      req.end(apnsPayload(n));
    });
  }

  async close(): Promise<void> {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}

function outcome(status: number, text: string, renewed: boolean, retryAfter?: number): SendOutcome | (SendOutcome & { renew: true }) {
  if (status === 200) return { ok: true };
  let reason = '';
  try {
    reason = String((JSON.parse(text) as { reason?: unknown }).reason ?? '');
  } catch {
    reason = '';
  }
  const why = `APNs ${status}${reason ? ` ${reason}` : ''}`;
  if (status === 410 || GONE.has(reason)) return failed(why, false, true);
  if (status === 403 && RENEW.has(reason) && !renewed) return { ...failed(why, true), renew: true };
  if (status === 429 || status >= 500 || status === 0 || status === 403) return failed(why, true, false, retryAfter);
  return failed(why, false);
}
