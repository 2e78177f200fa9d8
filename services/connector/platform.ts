/**
 * The device behind a socket: its platform (from the URL's `platform` and `host`) and how long
 * the gateway waits without a frame before it counts the device as gone.
 *
 * Web SDK platform numbers: 7 browsers/H5/Node, 8–12 and 19 mini programs, 15/20/21 native
 * app frameworks (uni-app, NativeScript, React Native), whose `host` tells iOS from Android.
 * Numbers 101–105 are Parley's own, for native clients and load tools that speak this
 * protocol: iPhone, Android, iPad, PC (Windows), Mac.
 */
import { classOf, type PlatformClass } from '../presence/policy';

export interface Device {
  /** Tencent's platform name, as query_online_status reports it. */
  platform: string;
  cls: PlatformClass;
  /** The URL's platform number, echoed in kick notices. */
  code: number;
  /** Milliseconds without any frame before the connection is dropped as dead. */
  idleMs: number;
}

const MINI_PROGRAMS = new Set([8, 9, 10, 11, 12, 19]);
const NATIVE_FRAMEWORKS = new Set([15, 20, 21]);
const PARLEY_NATIVE: Record<number, string> = { 101: 'iPhone', 102: 'Android', 103: 'iPad', 104: 'PC', 105: 'Mac' };

/**
 * Seed timings: web and mini programs notice a lost network within 60 s; native clients
 * heartbeat every two minutes and time out after 400 s. The web SDK sends heartbeat.alive
 * after 10 s without downlink traffic, so 60 s is six missed beats.
 */
export type IdleTimes = Record<PlatformClass, number>;

/** The seed's timings by default; PARLEY_WEB_IDLE_SEC and PARLEY_NATIVE_IDLE_SEC change them. */
export const idleTimes = (webIdleSec: number, nativeIdleSec: number): IdleTimes => ({ web: webIdleSec * 1000, mobile: nativeIdleSec * 1000, desktop: nativeIdleSec * 1000 });

export function deviceOf(query: URLSearchParams, idle: IdleTimes = idleTimes(60, 400)): Device {
  const code = Number(query.get('platform') ?? 7);
  const host = (query.get('host') ?? '').toLowerCase();
  let platform = 'Web';
  if (MINI_PROGRAMS.has(code)) platform = 'MiniProgram';
  else if (PARLEY_NATIVE[code]) platform = PARLEY_NATIVE[code];
  else if (NATIVE_FRAMEWORKS.has(code)) platform = host.includes('ipad') ? 'iPad' : host.includes('ios') || host.includes('iphone') ? 'iPhone' : 'Android';
  const cls = classOf(platform);
  return { platform, cls, code: Number.isSafeInteger(code) ? code : 7, idleMs: idle[cls] };
}
