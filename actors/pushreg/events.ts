/** Events of a user's push registration (schemas/pushreg/*.avsc): device tokens, tags, attributes. */
export const DEVICE_REGISTERED = 'parley.pushreg.DeviceRegistered';
export const DEVICES_REMOVED = 'parley.pushreg.DevicesRemoved';
export const TAGS_SET = 'parley.pushreg.TagsSet';
export const ATTRS_SET = 'parley.pushreg.AttrsSet';

export type PushProviderName = 'apns' | 'fcm' | 'webpush' | 'vendor';

export interface PushDevice {
  /** The SDK instance (the presence record's instId), or the id the app backend chose. */
  instId: string;
  /** Tencent platform name: iPhone, Android, Web… */
  platform: string;
  provider: PushProviderName;
  /** APNs device token (hex), FCM registration token, or a Web Push subscription as JSON. */
  token: string;
  /** The SDK's InstType (device brand of the push plugin), 0 unknown. */
  brand: number;
  /** BusiID: the certificate id of Tencent's console; kept for vendor channels. */
  businessId: number;
  at: number;
}

export interface DeviceRegistered {
  type: typeof DEVICE_REGISTERED;
  data: PushDevice;
}
export interface DevicesRemoved {
  type: typeof DEVICES_REMOVED;
  /** reason: logout, kicked, unregistered (the provider said the token is gone), app. */
  data: { instIds: string[]; reason: string; at: number };
}
export interface TagsSet {
  type: typeof TAGS_SET;
  data: { tags: string[]; at: number };
}
export interface AttrsSet {
  type: typeof ATTRS_SET;
  /** The whole attribute map as JSON. */
  data: { attrs: string; at: number };
}

export type PushregEvent = DeviceRegistered | DevicesRemoved | TagsSet | AttrsSet;
