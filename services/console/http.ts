/**
 * The web console under /console, answered by the gateway's HTTP server ahead of
 * moleculer-web (like /v4): the page and its modules (files.ts), and a JSON API for it.
 *
 *   GET   /console/              the page; /console redirects here so relative URLs work behind a path prefix
 *   POST   /console/api/session      sign in: UserSig credentials in the body → a short-lived cookie (session.ts)
 *   GET    /console/api/session      who is signed in;  DELETE: sign out (the cookie is cleared)
 *   GET    /console/api/callback     the app's callback settings (token write-only), and every command name
 *   PATCH  /console/api/callback     a partial callback section, written through apps.update
 *   GET    /console/api/stats/daily  the statistics of the last ?days=N days;  stats/live: the live figures
 *   GET    /console/api/account?id=  an account: import status, profile, devices;  POST account/kick, account/delete
 *   GET    /console/api/group?id=    a group: profile, a page of members (&offset=);  POST group/disband
 *   GET    /console/api/messages?account=&peer=[&before=]  a one-to-one history;  POST messages/recall
 *   GET    /console/api/settings     the app's settings sections;  PATCH: a partial write through apps.update
 *   GET    /console/api/accounts?nick=  accounts by nick prefix, paged (&before=);  POST account/import: one or a list
 *   POST   /console/api/account/mute    an account's global mute (openconfigsvr/setnospeaking)
 *   GET    /console/api/group/messages?id=  a group's history (&topic=T: a topic's; &before=SEQ);  POST group/mute: mute or unmute members
 *   GET    /console/api/push         the app's push credentials (secrets write-only);  PATCH: set or remove a provider's
 *   GET    /console/api/apps         the installation's apps (first app's administrators only);  POST apps/create, apps/rotate
 *   GET    /console/api/audit        the audit log, newest first (?before=&limit=); every write above is recorded in it (audit-api.ts)
 * The account, group and message resources run the REST commands themselves (commands-api.ts);
 * the ones after `audit` above are admin-routes.ts's.
 *
 * A request is signed in by the sign-in cookie, or by the REST API's administrator credentials
 * in one header, `Authorization: UserSig sdkappid=<n>, identifier=<admin>, usersig=<sig>`
 * (scripts), never in the URL, where access logs and browser history keep them. A write by
 * cookie passes the CSRF checks of session.ts; no CORS header is sent, so a foreign page
 * cannot read an answer either. Answers carry Tencent's envelope, with
 * an HTTP status that says the same (this API is Parley's own: no backend relies on REST's
 * always-200).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBroker } from 'moleculer';
import type { AppDirectory } from '../apps/registry';
import type { SigVerifier } from '../auth/verifier';
import { adminCredentials, authenticateAdmin, REST, Refusal, type Admin } from '../rest/admin-auth';
import { fail, newRequestId, ok, type Envelope } from '../commands/envelope';
import { readJsonBody } from '../rest/http';
import { callbackAnswer, writeCallback } from './callback-api';
import { consoleDir, loadAssets, type Asset } from './files';
import { sendAsset, sendJson, sendText } from './respond';
import { clearCookie, csrfRefusal, issueToken, setCookie, tokenOf, verifyToken } from './session';
import { statsAnswer } from './stats-api';
import { accountAnswer, accountWrite } from './accounts-api';
import { idParam } from './commands-api';
import { disbandGroup, groupAnswer } from './groups-api';
import { ADMIN_RESOURCES, adminRoute } from './admin-routes';
import { historyAnswer, recallMessage } from './messages-api';
import { settingsAnswer, writeSettings } from './settings-api';
import { auditAnswer, audited } from './audit-api';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';

/** A callback section is a few kilobytes (URL ≤ 1 KiB, at most 100 command names). */
const MAX_BODY_BYTES = 64 * 1024;
const INTERNAL = 70500;
const SCHEME = /^UserSig\s+(.*)$/i;
const KNOWN = new Set(['session', 'callback', 'stats/daily', 'stats/live', 'account', 'account/kick', 'account/delete', 'group', 'group/disband', 'messages', 'messages/recall', 'settings', 'audit', ...ADMIN_RESOURCES]);

export const isConsolePath = (url: string | undefined) => url === '/console' || !!url?.startsWith('/console/') || !!url?.startsWith('/console?');

export class ConsoleHandler {
  private readonly assets: Map<string, Asset> | undefined;

  constructor(
    private readonly broker: ServiceBroker,
    private readonly apps: AppDirectory,
    private readonly verifier: SigVerifier,
    dir = consoleDir(),
  ) {
    this.assets = dir ? loadAssets(dir) : undefined;
    if (!dir) broker.logger.warn('web/console not found next to the services: /console answers 404');
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    const { pathname } = new URL(req.url ?? '/', 'http://parley');
    if (pathname === '/console') return sendText(res, 308, 'the console is at /console/', { Location: 'console/' });
    const sub = pathname.slice('/console/'.length);
    if (sub === 'api' || sub.startsWith('api/')) return void this.api(req, res, sub.slice(4));
    const asset = this.assets?.get(sub);
    if (!asset) return sendText(res, 404, 'not found');
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'only GET and HEAD are served', { Allow: 'GET, HEAD' });
    sendAsset(req, res, asset);
  }

  private async api(req: IncomingMessage, res: ServerResponse, resource: string): Promise<void> {
    const requestId = newRequestId();
    let status = 200;
    let envelope: Envelope;
    const headers: Record<string, string> = {};
    try {
      envelope = ok(requestId, await this.route(req, resource, requestId, headers), false);
    } catch (err) {
      const answer = this.answerOf(err, requestId);
      status = answer.status;
      envelope = fail(requestId, answer.code, answer.info);
    }
    sendJson(res, status, envelope, status === 401 ? { ...headers, 'WWW-Authenticate': 'UserSig' } : headers);
  }

  private async route(req: IncomingMessage, resource: string, requestId: string, headers: Record<string, string>): Promise<Record<string, unknown>> {
    const { searchParams } = new URL(req.url ?? '/', 'http://parley');
    switch (`${req.method} ${resource}`) {
      case 'POST session':
        return this.signIn(req, headers);
      case 'DELETE session':
        headers['Set-Cookie'] = clearCookie(req);
        return {};
      case 'GET session': {
        const admin = await this.authenticate(req);
        return { SdkAppId: admin.app.sdkAppId, Identifier: admin.identifier };
      }
      case 'GET callback':
        return callbackAnswer((await this.authenticate(req)).app);
      case 'PATCH callback':
        return this.change(req, requestId, resource, (admin, body) => this.write(admin, body, requestId));
      case 'GET audit':
        return auditAnswer(this.broker, await this.authenticate(req), searchParams);
      case 'GET stats/daily':
      case 'GET stats/live':
        return statsAnswer(this.broker, (await this.authenticate(req)).app.sdkAppId, resource, searchParams);
      case 'GET account':
        return accountAnswer(this.broker, await this.authenticate(req), idParam(searchParams, 'id'), requestId);
      case 'POST account/kick':
      case 'POST account/delete':
        return this.change(req, requestId, resource, (admin, body) => accountWrite(this.broker, admin, resource === 'account/kick' ? 'kick' : 'delete', body, requestId));
      case 'GET group':
        return groupAnswer(this.broker, await this.authenticate(req), idParam(searchParams, 'id'), offsetParam(searchParams), requestId);
      case 'POST group/disband':
        return this.change(req, requestId, resource, (admin, body) => disbandGroup(this.broker, admin, body, requestId));
      case 'GET messages':
        return historyAnswer(this.broker, await this.authenticate(req), searchParams, requestId);
      case 'POST messages/recall':
        return this.change(req, requestId, resource, (admin, body) => recallMessage(this.broker, admin, body, requestId));
      case 'GET settings':
        return settingsAnswer(this.broker, (await this.authenticate(req)).app);
      case 'PATCH settings':
        return this.change(req, requestId, resource, async (admin, body) =>
          settingsAnswer(this.broker, Object.keys(body).length === 0 ? admin.app : await writeSettings(this.broker, this.apps, admin.app.sdkAppId, body, requestId)),
        );
    }
    const more = adminRoute(`${req.method} ${resource}`, { broker: this.broker, apps: this.apps, query: searchParams, requestId, admin: () => this.authenticate(req), change: (work) => this.change(req, requestId, resource, work) });
    if (more) return more;
    if (!KNOWN.has(resource)) throw new Answer(404, REST.BAD_RESOURCE, `no console resource '${resource}'`);
    throw new Answer(405, REST.BAD_URL, `${req.method} is not served on ${resource}`);
  }

  /** UserSig credentials in a JSON body; answers with the sign-in cookie. */
  private async signIn(req: IncomingMessage, headers: Record<string, string>): Promise<Record<string, unknown>> {
    const refusal = csrfRefusal(req);
    if (refusal) throw new Answer(403, REST.NEED_ADMIN, refusal);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new Answer(415, REST.BAD_JSON, 'the body must be application/json');
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    let admin: Admin;
    try {
      admin = await authenticateAdmin(this.apps, this.verifier, adminCredentials(body, 'the body'));
    } catch (err) {
      if (err instanceof Refusal) throw new Answer(err.code === REST.NEED_ADMIN ? 403 : 401, err.code, err.info);
      throw err;
    }
    const { token, maxAge } = issueToken(admin, runtimeOf(this.broker).config.ops.consoleSessionSec);
    headers['Set-Cookie'] = setCookie(req, token, maxAge);
    this.broker.logger.info(`console: ${admin.identifier} signed in to app ${admin.app.sdkAppId}`);
    return { SdkAppId: admin.app.sdkAppId, Identifier: admin.identifier, ExpiresIn: maxAge };
  }

  /**
   * The Authorization header (scripts, curl), else the sign-in cookie; a write signed in by
   * cookie must also pass the CSRF checks (session.ts).
   */
  private async authenticate(req: IncomingMessage): Promise<Admin> {
    try {
      if (req.headers.authorization !== undefined || tokenOf(req) === undefined) {
        return await authenticateAdmin(this.apps, this.verifier, adminCredentials(authFields(req.headers.authorization), 'the Authorization header'));
      }
      const admin = verifyToken(this.apps, tokenOf(req)!);
      const refusal = req.method === 'GET' || req.method === 'HEAD' ? undefined : csrfRefusal(req);
      if (refusal) throw new Answer(403, REST.NEED_ADMIN, refusal);
      return admin;
    } catch (err) {
      if (err instanceof Refusal) throw new Answer(err.code === REST.NEED_ADMIN ? 403 : 401, err.code, err.info);
      throw err;
    }
  }

  private async write(admin: Admin, patch: Record<string, unknown>, requestId: string): Promise<Record<string, unknown>> {
    if (Object.keys(patch).length === 0) return callbackAnswer(admin.app);
    const app = await writeCallback(this.broker, this.apps, admin.app.sdkAppId, patch, requestId);
    // Field names only: the values may hold the token.
    this.broker.logger.info(`console request ${requestId}: ${admin.identifier} changed app ${app.sdkAppId}'s callback ${Object.keys(patch).join(', ')}`);
    return callbackAnswer(app);
  }

  /**
   * A write: signed in (with the CSRF checks of a cookie sign-in), a JSON object body, then
   * `work`, recorded in the audit log before it runs and with its outcome after (audit-api.ts);
   * logged with the request id, the administrator and the body's field names (not values).
   * A PATCH of nothing (`{}`) changes nothing and is not recorded.
   */
  private async change(req: IncomingMessage, requestId: string, resource: string, work: (admin: Admin, body: Record<string, unknown>) => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
    const admin = await this.authenticate(req);
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new Answer(415, REST.BAD_JSON, 'the body must be application/json');
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    const noop = req.method === 'PATCH' && Object.keys(body).length === 0;
    const answer = noop ? await work(admin, body) : await audited(this.broker, admin, requestId, resource, body, () => work(admin, body));
    this.broker.logger.info(`console request ${requestId}: ${admin.identifier} of app ${admin.app.sdkAppId}: ${resource} (${Object.keys(body).join(', ')})`);
    return answer;
  }

  private answerOf(err: unknown, requestId: string): Answer {
    if (err instanceof Answer) return err;
    if (err instanceof Refusal) return new Answer(err.code === REST.NEED_ADMIN ? 403 : 400, err.code, err.info);
    // apps.update's refusals (invalid settings: 70402) carry their Tencent code in data.code.
    const data = (err as { data?: { code?: unknown } }).data;
    if (data && typeof data.code === 'number') return new Answer(422, data.code, (err as Error).message);
    this.broker.logger.error(`console request ${requestId} failed:`, err);
    return new Answer(500, INTERNAL, `internal error (request ${requestId})`);
  }
}

class Answer {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly info: string,
  ) {}
}

/** ?offset= of a member page: a whole number, 0 when absent. */
function offsetParam(query: URLSearchParams): number {
  const raw = query.get('offset') ?? '0';
  if (!/^\d{1,9}$/.test(raw)) throw new Refusal(REST.BAD_URL, 'offset must be a whole number');
  return Number(raw);
}

/** `UserSig sdkappid=…, identifier=…, usersig=…` as fields; a repeated one becomes a list, which adminCredentials refuses. */
function authFields(header: string | undefined): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  if (header === undefined) return fields;
  const match = SCHEME.exec(header);
  if (!match) throw new Refusal(REST.NO_SDKAPPID, 'the Authorization header must read: UserSig sdkappid=…, identifier=…, usersig=…');
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    const value = part.slice(eq + 1).trim();
    fields[key] = key in fields ? [fields[key], value].flat() : value;
  }
  return fields;
}
