/**
 * Calls the web console's JSON API (/console/api/…) from outside, as the page does: the
 * administrator's credentials in `Authorization: UserSig …`, JSON in and out.
 */
import type { CallbackView } from '../../services/console/callback-api';
import type { Embedded } from './embedded';
import { tencentUserSig } from './tencent-sig';

export interface ConsoleAnswer {
  status: number;
  headers: Headers;
  raw: string;
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
  RequestId: string;
  SdkAppId?: number;
  Callback?: CallbackView;
  Commands?: string[];
}

export interface Credentials {
  sdkappid: string;
  identifier: string;
  usersig: string;
}

export const authorization = (c: Credentials) => `UserSig sdkappid=${c.sdkappid}, identifier=${c.identifier}, usersig=${c.usersig}`;

/** The first app's administrator with a fresh UserSig (or another user of that app, signed with its key). */
export function adminCredentials(server: Pick<Embedded, 'app'>, identifier = server.app.admin): Credentials {
  const usersig = tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId: identifier });
  return { sdkappid: String(server.app.sdkAppId), identifier, usersig };
}

export interface CallOptions {
  body?: unknown;
  /** An Authorization header; `null` sends none. Default: the first app's administrator. */
  auth?: string | null;
  contentType?: string;
  path?: string;
}

export async function consoleCall(server: Pick<Embedded, 'app' | 'baseUrl'>, method: string, options: CallOptions = {}): Promise<ConsoleAnswer> {
  const headers: Record<string, string> = {};
  const auth = options.auth === undefined ? authorization(adminCredentials(server)) : options.auth;
  if (auth !== null) headers.Authorization = auth;
  if (options.body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const res = await fetch(`${server.baseUrl}${options.path ?? '/console/api/callback'}`, { method, headers, body });
  const raw = await res.text();
  return { status: res.status, headers: res.headers, raw, ...(JSON.parse(raw) as Omit<ConsoleAnswer, 'status' | 'headers' | 'raw'>) };
}

/** The stored callback section, read past the console (apps.get), token included. */
export async function storedCallback(server: Pick<Embedded, 'app' | 'broker'>): Promise<Record<string, unknown>> {
  const app = await server.broker.call<{ settings: { callback: Record<string, unknown> } }, object>('apps.get', { sdkAppId: server.app.sdkAppId });
  return app.settings.callback;
}
