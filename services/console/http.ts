/**
 * The web console under /console, answered by the gateway's HTTP server ahead of
 * moleculer-web (like /v4): the page and its modules (files.ts), and a JSON API for it.
 *
 *   GET   /console/              the page; /console redirects here so relative URLs work behind a path prefix
 *   GET   /console/api/callback  the app's callback settings (token write-only), and every command name
 *   PATCH /console/api/callback  a partial callback section, written through apps.update
 *
 * The API takes the REST API's administrator credentials in one header,
 * `Authorization: UserSig sdkappid=<n>, identifier=<admin>, usersig=<sig>`, rather than in
 * the URL, where access logs and browser history keep them. No cookie is involved, so a
 * foreign page cannot act with a signed-in administrator's rights (no CSRF), and no CORS
 * header is sent, so it cannot read an answer either. Answers carry Tencent's envelope, with
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

/** A callback section is a few kilobytes (URL ≤ 1 KiB, at most 100 command names). */
const MAX_BODY_BYTES = 64 * 1024;
const INTERNAL = 70500;
const SCHEME = /^UserSig\s+(.*)$/i;

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
    try {
      if (resource !== 'callback') throw new Answer(404, REST.BAD_RESOURCE, `no console resource '${resource}'`);
      if (req.method !== 'GET' && req.method !== 'PATCH') throw new Answer(405, REST.BAD_URL, 'only GET and PATCH are served');
      const admin = await this.authenticate(req);
      envelope = ok(requestId, req.method === 'GET' ? callbackAnswer(admin.app) : await this.write(req, admin, requestId), false);
    } catch (err) {
      const answer = this.answerOf(err, requestId);
      status = answer.status;
      envelope = fail(requestId, answer.code, answer.info);
    }
    sendJson(res, status, envelope, status === 401 ? { 'WWW-Authenticate': 'UserSig' } : {});
  }

  private async authenticate(req: IncomingMessage): Promise<Admin> {
    try {
      return await authenticateAdmin(this.apps, this.verifier, adminCredentials(authFields(req.headers.authorization), 'the Authorization header'));
    } catch (err) {
      if (err instanceof Refusal) throw new Answer(err.code === REST.NEED_ADMIN ? 403 : 401, err.code, err.info);
      throw err;
    }
  }

  private async write(req: IncomingMessage, admin: Admin, requestId: string): Promise<Record<string, unknown>> {
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) throw new Answer(415, REST.BAD_JSON, 'the body must be application/json');
    const patch = await readJsonBody(req, MAX_BODY_BYTES);
    if (Object.keys(patch).length === 0) return callbackAnswer(admin.app);
    const app = await writeCallback(this.broker, this.apps, admin.app.sdkAppId, patch, requestId);
    // Field names only: the values may hold the token.
    this.broker.logger.info(`console request ${requestId}: ${admin.identifier} changed app ${app.sdkAppId}'s callback ${Object.keys(patch).join(', ')}`);
    return callbackAnswer(app);
  }

  private answerOf(err: unknown, requestId: string): Answer {
    if (err instanceof Answer) return err;
    if (err instanceof Refusal) return new Answer(400, err.code, err.info);
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
