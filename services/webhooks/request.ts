/**
 * A callback request as Tencent sends it: POST to the app's URL with SdkAppid,
 * CallbackCommand, contenttype, ClientIP and OptPlatform in the query (plus RequestTime and
 * Sign when the app has a token), and a JSON body that repeats CallbackCommand.
 */
import crypto from 'node:crypto';
import type { CallbackSettings } from '../../config/callbacks';

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

export function callbackUrl(settings: CallbackSettings, r: CallbackRequest, nowMs = Date.now()): URL {
  const url = new URL(settings.url);
  const q = url.searchParams;
  q.append('SdkAppid', String(r.app));
  q.append('CallbackCommand', r.command);
  q.append('contenttype', 'json');
  q.append('ClientIP', r.clientIp ?? '');
  q.append('OptPlatform', optPlatform(r.command, r.platform));
  if (settings.token !== '') {
    const requestTime = Math.floor(nowMs / 1000);
    q.append('RequestTime', String(requestTime));
    q.append('Sign', sign(settings.token, requestTime));
  }
  return url;
}

/** The JSON body: CallbackCommand first, then the caller's fields, EventTime (ms) when absent. */
export function callbackBody(command: string, body: Record<string, unknown>, nowMs = Date.now()): string {
  return JSON.stringify({ CallbackCommand: command, ...body, EventTime: body.EventTime ?? nowMs });
}
