/**
 * The providers of this node, one instance each (their connections and token caches are
 * shared by every app), and which credentials of an app's push settings each one takes.
 * Android vendor channels (Huawei, Xiaomi, OPPO, vivo, Meizu, Honor) have no module: their
 * APIs cannot be reached or imitated faithfully here. A module for one implements PushProvider
 * and is listed below; until then tokens registered for them are kept and not pushed.
 */
import { apnsOn, fcmOn, webPushOn, type PushSettings } from '../../../actors/apps/settings/push';
import type { PushProviderName } from '../../../actors/pushreg';
import { ApnsProvider } from './apns';
import { FcmProvider } from './fcm';
import { WebPushProvider } from './webpush';
import type { Notification, PushProvider, SendOutcome } from './port';

export class Providers {
  readonly apns = new ApnsProvider();
  readonly fcm = new FcmProvider();
  readonly webpush = new WebPushProvider();

  /** Whether the app can push to devices of this provider. */
  configured(settings: PushSettings, provider: PushProviderName): boolean {
    if (provider === 'apns') return apnsOn(settings);
    if (provider === 'fcm') return fcmOn(settings);
    if (provider === 'webpush') return webPushOn(settings);
    return false;
  }

  send(settings: PushSettings, provider: PushProviderName, token: string, n: Notification): Promise<SendOutcome> {
    if (provider === 'apns') return this.apns.send(settings.apns, token, n);
    if (provider === 'fcm') return this.fcm.send(settings.fcm, token, n);
    if (provider === 'webpush') return this.webpush.send(settings.webpush, token, n);
    return Promise.resolve({ ok: false, gone: false, retry: false, reason: `no provider module for ${provider} devices` });
  }

  async close(): Promise<void> {
    await Promise.all(([this.apns, this.fcm, this.webpush] as PushProvider<unknown>[]).map((p) => p.close()));
  }
}
