/**
 * Multi-device login policy (the seed's "Multi-device login"): which of a user's devices must
 * give way when another logs in. Pure: no clock, no I/O.
 *
 * Two rules, both applied to devices that logged in before the new one (lower `order`):
 *  - platforms share slots by policy; a device on another platform of the same slot is kicked
 *    with KickType 2 (the SDK's `multipleDevice`);
 *  - one platform holds at most its cap of instances (web has its own cap); beyond it the
 *    oldest are kicked with KickType 1 (the SDK's `multipleAccount`).
 */
import type { AppSettings, LoginPolicy } from '../../actors/apps/settings/app-settings';
import type { DeviceRecord } from './directory';

export type PlatformClass = 'web' | 'mobile' | 'desktop';

/** KickoutMsgNotify.KickType values the SDK understands. */
export const KICK = { MULTI_ACCOUNT: 1, MULTI_DEVICE: 2, REST: 3 } as const;
export type KickType = (typeof KICK)[keyof typeof KICK];

export interface Eviction {
  device: DeviceRecord;
  kickType: KickType;
}

const CLASSES: Record<string, PlatformClass> = {
  Web: 'web',
  MiniProgram: 'web',
  Android: 'mobile',
  iPhone: 'mobile',
  iPad: 'mobile',
  PC: 'desktop',
  Mac: 'desktop',
};

export const classOf = (platform: string): PlatformClass => CLASSES[platform] ?? 'web';

/** Devices in one slot may not be on two different platforms at once. */
function slotOf(policy: LoginPolicy, platform: string): string {
  const cls = classOf(platform);
  switch (policy) {
    case 'single':
      return 'all';
    case 'dual':
      return cls === 'web' ? 'web' : 'native';
    case 'triple':
      return cls;
    case 'multi':
      return platform;
    default: {
      const never: never = policy;
      return never;
    }
  }
}

/** Web and mini programs are one platform for the web cap: both are browsers of a kind. */
const capGroup = (platform: string) => (classOf(platform) === 'web' ? 'web' : platform);

export function evictions(settings: AppSettings['login'], devices: DeviceRecord[], incoming: DeviceRecord): Eviction[] {
  const older = devices.filter((d) => d.instId !== incoming.instId && d.order < incoming.order).sort((a, b) => b.order - a.order);
  const slot = slotOf(settings.policy, incoming.platform);
  const group = capGroup(incoming.platform);
  const cap = group === 'web' ? settings.webInstances : settings.instancesPerPlatform;
  const out: Eviction[] = [];
  let kept = 1; // the incoming device itself
  for (const device of older) {
    if (capGroup(device.platform) === group) {
      if (kept < cap) kept++;
      else out.push({ device, kickType: KICK.MULTI_ACCOUNT });
    } else if (slotOf(settings.policy, device.platform) === slot) {
      out.push({ device, kickType: KICK.MULTI_DEVICE });
    }
  }
  return out;
}
