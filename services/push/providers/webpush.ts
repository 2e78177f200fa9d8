/**
 * Web Push (RFC 8030, payload encryption RFC 8291 aes128gcm, VAPID RFC 8292) with the
 * `web-push` library. The device token is the browser's PushSubscription as JSON
 * ({endpoint, keys: {p256dh, auth}}). 404 and 410 mean the subscription is gone.
 */
import type { Agent } from 'node:https';
import webpush from 'web-push';
import type { WebPushSettings } from '../../../actors/apps/settings/push';
import { parseSubscription } from '../../pushdevices/client';
import { failed, PROVIDER_TIMEOUT_MS, type Notification, type PushProvider, type SendOutcome } from './port';

/** What the service worker receives (docs/push.md has one that shows it). */
export function webPushPayload(n: Notification): string {
  return JSON.stringify({ title: n.title, body: n.body, badge: n.badge, ext: n.ext, tag: n.collapseId, data: n.data });
}

export class WebPushProvider implements PushProvider<WebPushSettings> {
  readonly name = 'webpush';

  /** `agent`: an https.Agent of one's own (a proxy, or a test push service's certificate); default Node's. */
  constructor(private readonly agent?: Agent) {}

  async send(c: WebPushSettings, token: string, n: Notification): Promise<SendOutcome> {
    const subscription = parseSubscription(token);
    if (!subscription) return failed('not a Web Push subscription', false, true);
    const ttl = n.expiresAt > 0 ? Math.max(0, n.expiresAt - Math.floor(Date.now() / 1000)) : 86_400;
    try {
      await webpush.sendNotification(subscription, webPushPayload(n), {
        vapidDetails: { subject: c.subject, publicKey: c.publicKey, privateKey: c.privateKey },
        TTL: ttl,
        // Topic: a newer push of the same message replaces an undelivered one (RFC 8030 §5.4; at most 32 base64url characters).
        topic: n.collapseId.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 32) || undefined,
        urgency: n.priority === 'high' ? 'high' : 'normal',
        contentEncoding: 'aes128gcm',
        timeout: PROVIDER_TIMEOUT_MS,
        ...(this.agent ? { agent: this.agent } : {}),
      });
      return { ok: true };
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 410) return failed(`Web Push ${status}`, false, true);
      if (status === undefined || status === 429 || status >= 500) return failed(status ? `Web Push ${status}` : `Web Push: ${(err as Error).message}`, true);
      return failed(`Web Push ${status}`, false);
    }
  }

  async close(): Promise<void> {}
}
