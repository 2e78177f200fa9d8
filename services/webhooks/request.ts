/**
 * A callback request as Tencent sends it: POST to the app's URL with SdkAppid,
 * CallbackCommand, contenttype, ClientIP and OptPlatform in the query (plus RequestTime and
 * Sign when the app has a token), and a JSON body that repeats CallbackCommand.
 */
import crypto from 'node:crypto';
import type { CallbackSettings } from '../../actors/apps/settings/callbacks';

export interface CallbackRequest {
  app: number;
  command: string;
  /** OptPlatform: RESTAPI, Web, Android, iOS, Windows, Mac, iPad, Unknown. Default RESTAPI. */
  platform?: string;
  clientIp?: string;
}

/** Sign = lowercase hex of SHA-256 over token + RequestTime (unix seconds, as a decimal string). */
export function sign(token: string, requestTime: number): string {
  return crypto.createHash('sha256').update(`${token}${requestTime}`).digest('hex');
}

/** Tencent spells iOS in capitals in State.StateChange only. */
export function optPlatform(command: string, platform: string | undefined): string {
  const p = platform || 'RESTAPI';
  return command === 'State.StateChange' && p === 'iOS' ? 'IOS' : p;
}

/** Where a request goes: the origin of the app's URL (scheme, host, port) and the full path with the query. */
export interface CallbackTarget {
  origin: string;
  path: string;
}

interface Base {
  origin: string;
  /** Path and any query of the configured URL, ending in ? or &. */
  prefix: string;
}

/** Parsed once per URL string, not once per request. */
const bases = new Map<string, Base>();

function baseOf(url: string): Base {
  let base = bases.get(url);
  if (!base) {
    const u = new URL(url);
    base = { origin: u.origin, prefix: `${u.pathname}${u.search ? `${u.search}&` : '?'}` };
    if (bases.size > 1000) bases.clear();
    bases.set(url, base);
  }
  return base;
}

export function callbackTarget(settings: CallbackSettings, r: CallbackRequest, nowMs = Date.now()): CallbackTarget {
  const { origin, prefix } = baseOf(settings.url);
  const e = encodeURIComponent;
  let path = `${prefix}SdkAppid=${r.app}&CallbackCommand=${e(r.command)}&contenttype=json&ClientIP=${e(r.clientIp ?? '')}&OptPlatform=${e(optPlatform(r.command, r.platform))}`;
  if (settings.token !== '') {
    const requestTime = Math.floor(nowMs / 1000);
    path += `&RequestTime=${requestTime}&Sign=${sign(settings.token, requestTime)}`;
  }
  return { origin, path };
}

/** The JSON body: CallbackCommand first, then the caller's fields, EventTime (ms) when absent. */
export function callbackBody(command: string, body: Record<string, unknown>, nowMs = Date.now()): string {
  return JSON.stringify({ CallbackCommand: command, ...body, EventTime: body.EventTime ?? nowMs });
}
