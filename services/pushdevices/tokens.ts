/**
 * Push tokens as the SDK and app backends give them. The SDK's push plugin sends
 * `im_open_status.ws_stat_settoken` at login and on every token change: VarToken (an APNs device
 * token, iOS), TokenID (an Android token), PushMsg (0: no token, push off), BusiID (the
 * certificate id of Tencent's console) and InstType (the device brand: 2000 Xiaomi, 2001 Huawei,
 * 2002 Google FCM, 2003 Meizu, 2004 OPPO, 2005 vivo, 2006 Honor; others Apple devices).
 */
import type { PushDevice, PushProviderName } from '../../actors/pushreg';

/** InstType of an Android device that receives through FCM (Google, or a brand without a vendor channel). */
const FCM_BRANDS = new Set([0, 2002]);

export interface SdkTokenFrame {
  VarToken?: unknown;
  TokenID?: unknown;
  PushMsg?: unknown;
  BusiID?: unknown;
  InstType?: unknown;
}

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const int = (v: unknown) => {
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : 0;
};

/** The device a settoken frame registers, or undefined when it turns push off. */
export function deviceOfFrame(body: SdkTokenFrame, instId: string, platform: string, now: number): PushDevice | undefined {
  const apnsToken = text(body.VarToken);
  const androidToken = text(body.TokenID);
  const token = apnsToken || androidToken;
  if (token === '' || body.PushMsg === 0 || token.length > 4096) return undefined;
  const brand = int(body.InstType);
  const provider: PushProviderName = apnsToken ? 'apns' : FCM_BRANDS.has(brand) ? 'fcm' : 'vendor';
  return { instId, platform, provider, token, brand, businessId: int(body.BusiID), at: now };
}

/** A token as listings show it: its kind and last characters, never the whole secret. */
export const maskToken = (token: string) => (token.length <= 8 ? '…' : `…${token.slice(-8)}`);

export interface Subscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** A subscription as JSON, or undefined when it is not one. */
export function parseSubscription(token: string): Subscription | undefined {
  try {
    const s = JSON.parse(token) as Partial<Subscription>;
    if (typeof s.endpoint === 'string' && /^https?:\/\//.test(s.endpoint) && typeof s.keys?.p256dh === 'string' && typeof s.keys.auth === 'string') {
      return { endpoint: s.endpoint, keys: { p256dh: s.keys.p256dh, auth: s.keys.auth } };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

