/**
 * Console sign-in: an administrator proves themselves once with a UserSig (the REST API's
 * check), and gets a short-lived token (jsonwebtoken, HS256) in a cookie:
 *
 *   parley_console=<jwt>; Path=/console/; HttpOnly; SameSite=Strict[; Secure]; Max-Age=<s>
 *
 * - HttpOnly: no script, the console's own included, can read it, so an injected script
 *   cannot carry it away.
 * - SameSite=Strict: a browser never sends it with a request another site starts.
 * - Every write also needs the header `X-Parley-Console: 1`, which a cross-site form cannot
 *   set and a cross-site fetch cannot send without a CORS preflight this server never
 *   answers; and an Origin header, when sent, must be this server's own (csrfRefusal).
 * - The key is derived from the app's secret key, so every node checks a token without
 *   shared state, and rotating the secret key ends every sign-in. A token names its app
 *   and administrator; each request checks again that the app exists and that the
 *   identifier is still one of its administrators.
 */
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import jwt from 'jsonwebtoken';
import type { AppDirectory } from '../apps/registry';
import { APP_NOT_FOUND, REST, Refusal, type Admin } from '../rest/admin-auth';

export const COOKIE = 'parley_console';
export const CSRF_HEADER = 'x-parley-console';
/** Tencent's code of an expired UserSig; a console token past its time is the same to the page. */
const EXPIRED = 70001;
const BAD_TOKEN = 70003;
const ISSUER = 'parley-console';

const keyOf = (secretKey: string) => crypto.createHash('sha256').update(`parley-console-session\u0000${secretKey}`).digest();

/** A token for the administrator, valid `seconds` (never past their UserSig's own expiry). */
export function issueToken(admin: Admin, seconds: number, nowSec = Math.floor(Date.now() / 1000)): { token: string; maxAge: number } {
  const maxAge = Math.max(1, Math.min(seconds, admin.sigExpiresAt - nowSec));
  const token = jwt.sign({ app: admin.app.sdkAppId }, keyOf(admin.app.secretKey), { algorithm: 'HS256', subject: admin.identifier, issuer: ISSUER, expiresIn: maxAge });
  return { token, maxAge };
}

/** The administrator a token proves, or a Refusal (401 for the page). */
export function verifyToken(apps: AppDirectory, token: string): Admin {
  const claims = jwt.decode(token);
  const appId = claims && typeof claims === 'object' ? (claims as { app?: unknown }).app : undefined;
  if (typeof appId !== 'number') throw new Refusal(BAD_TOKEN, 'the console sign-in is not valid: sign in again');
  const app = apps.get(appId);
  if (!app) throw new Refusal(APP_NOT_FOUND, `SDKAppID ${appId} not found`);
  let verified: jwt.JwtPayload;
  try {
    verified = jwt.verify(token, keyOf(app.secretKey), { algorithms: ['HS256'], issuer: ISSUER }) as jwt.JwtPayload;
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new Refusal(EXPIRED, 'the console sign-in has expired: sign in again');
    throw new Refusal(BAD_TOKEN, 'the console sign-in is not valid: sign in again');
  }
  const identifier = verified.sub ?? '';
  if (!app.admins.includes(identifier)) throw new Refusal(REST.NEED_ADMIN, `${identifier} is no longer an administrator of this app`);
  return { app, identifier, sigExpiresAt: verified.exp ?? 0 };
}

/** The console cookie's value, if the request carries exactly one. */
export function tokenOf(req: IncomingMessage): string | undefined {
  const found = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c.startsWith(`${COOKIE}=`));
  return found.length === 1 ? found[0].slice(COOKIE.length + 1) : undefined;
}

/** Behind a TLS-terminating proxy (X-Forwarded-Proto: https), the cookie is Secure. */
const secure = (req: IncomingMessage) => req.headers['x-forwarded-proto'] === 'https' || (req.socket as { encrypted?: boolean }).encrypted === true;

export function setCookie(req: IncomingMessage, token: string, maxAge: number): string {
  return `${COOKIE}=${token}; Path=/console/; HttpOnly; SameSite=Strict; Max-Age=${maxAge}${secure(req) ? '; Secure' : ''}`;
}

export function clearCookie(req: IncomingMessage): string {
  return `${COOKIE}=; Path=/console/; HttpOnly; SameSite=Strict; Max-Age=0${secure(req) ? '; Secure' : ''}`;
}

/** Why a request signed in by cookie may not change anything, or undefined when it may. */
export function csrfRefusal(req: IncomingMessage): string | undefined {
  if (req.headers[CSRF_HEADER] !== '1') return `a console write needs the header X-Parley-Console: 1`;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== 'null') {
    const host = req.headers['x-forwarded-host'] ?? req.headers.host;
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost !== host) return `a request from ${origin} may not use this console`;
  }
  if (origin === 'null') return 'a request from an opaque origin may not use this console';
  return undefined;
}
