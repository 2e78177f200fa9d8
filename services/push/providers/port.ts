/**
 * The push-provider port: what every provider module implements (APNs, FCM, Web Push; an
 * Android vendor channel would be one more module). A provider turns one notification for one
 * device token into one request, and tells the deliverer what became of it. It never throws
 * for a provider's answer: garbage, timeouts and refusals all become a SendOutcome.
 * test/integration/push/contract.ts is the suite every provider passes against its loopback
 * server, the shape of store/backend.ts with test/integration/store/contract.ts.
 */

export interface Notification {
  title: string;
  body: string;
  /** OfflinePushInfo.Ext: passed through as data (APNs `ext`, FCM data.ext, Web Push JSON). */
  ext: string;
  /** The recipient's unread count; undefined = leave the badge as it is. */
  badge?: number;
  sound?: string;
  /** The same for every copy of one message's push (apns-collapse-id, FCM collapse_key, Web Push Topic). */
  collapseId: string;
  /** Unix seconds after which the provider should drop it; 0 = provider default. */
  expiresAt: number;
  /** high: shown at once (apns-priority 10, FCM HIGH, urgency high); normal: may be batched. */
  priority: 'high' | 'normal';
  /** Per-platform OfflinePushInfo fields (ApnsInfo, AndroidInfo), as given. */
  apns?: Record<string, unknown>;
  android?: Record<string, unknown>;
  /** Parley's own data: conversation and sender, so the app opens the right screen. */
  data: Record<string, string>;
}

export type SendOutcome =
  | { ok: true }
  /**
   * gone: the token is dead (APNs 410 or BadDeviceToken, FCM UNREGISTERED, Web Push 404/410):
   * the device's registration is removed. retry: worth trying again later (5xx, 429, timeouts,
   * a garbage answer); otherwise the push to this device is given up.
   */
  | { ok: false; gone: boolean; retry: boolean; reason: string; retryAfterMs?: number };

export interface PushProvider<C> {
  readonly name: string;
  /** Sends to one device with the app's credentials of this provider. */
  send(credentials: C, token: string, n: Notification): Promise<SendOutcome>;
  /** Closes kept-alive connections (node stop). */
  close(): Promise<void>;
}

/** Per-request deadline of every provider, ms. */
export const PROVIDER_TIMEOUT_MS = 10_000;

export const failed = (reason: string, retry: boolean, gone = false, retryAfterMs?: number): SendOutcome => ({ ok: false, gone, retry, reason, ...(retryAfterMs ? { retryAfterMs } : {}) });

/** Retry-After (seconds or an HTTP date) as ms, if usable. */
export function retryAfterMs(value: string | string[] | undefined): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 3_600_000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, Math.min(date - Date.now(), 3_600_000)) : undefined;
}
