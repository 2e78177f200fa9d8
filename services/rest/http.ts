/**
 * The REST face: POST /v4/{service}/{command}?sdkappid&identifier&usersig&random&contenttype=json,
 * answered over HTTP 200 with Tencent's envelope whatever happens. Order of checks follows
 * what a caller can fix first: URL, app, administrator and UserSig, rate, body, command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBroker } from 'moleculer';
import { LIMITS } from '../../config/limits';
import type { AppDirectory } from '../apps/registry';
import type { SigVerifier } from '../auth/verifier';
import { clientIpOf, type CommandTable } from './commands';
import { dispatchCommand } from './dispatch';
import { fail, newRequestId, ok, type Envelope } from './envelope';
import { reportOverLimit } from './over-limit';
import type { RateLimiter } from './rate-limit';

/** REST common codes (Tencent 60xxx). */
export const REST = {
  BAD_URL: 60002,
  BAD_JSON: 60003,
  BAD_ACCOUNT: 60004,
  BAD_SDKAPPID: 60006,
  TOO_FREQUENT: 60007,
  BAD_RESOURCE: 60009,
  NEED_ADMIN: 60010,
  NO_SDKAPPID: 60012,
  EMPTY_SIG: 70002,
} as const;

const UINT32_MAX = 0xffffffff;

class Refusal {
  constructor(
    readonly code: number,
    readonly info: string,
  ) {}
}

export class RestHandler {
  constructor(
    private readonly broker: ServiceBroker,
    private readonly apps: AppDirectory,
    private readonly verifier: SigVerifier,
    private readonly limiter: RateLimiter,
    private readonly commands: CommandTable,
  ) {}

  async handle(req: IncomingMessage, res: ServerResponse, service: string, command: string, query: Record<string, unknown>): Promise<void> {
    const requestId = newRequestId();
    let envelope: Envelope;
    try {
      envelope = await this.run(req, service, command, query, requestId);
    } catch (err) {
      if (!(err instanceof Refusal)) this.broker.logger.error(`request ${requestId} failed:`, err);
      const refusal = err instanceof Refusal ? err : new Refusal(70500, `internal error (request ${requestId})`);
      envelope = fail(requestId, refusal.code, refusal.info);
    }
    const body = JSON.stringify(envelope);
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    res.end(body);
  }

  private async run(req: IncomingMessage, service: string, command: string, query: Record<string, unknown>, requestId: string): Promise<Envelope> {
    if (req.method !== 'POST') throw new Refusal(REST.BAD_URL, 'only POST is served');
    const { sdkAppId, identifier, usersig } = this.checkQuery(query);
    const app = this.apps.get(sdkAppId);
    if (!app) throw new Refusal(70020, `SDKAppID ${sdkAppId} not found`);
    if (!app.admins.includes(identifier)) throw new Refusal(REST.NEED_ADMIN, `${identifier} is not an administrator of this app`);
    const sig = await this.verifier.verify(sdkAppId, identifier, usersig);
    if (!sig.ok) throw new Refusal(sig.code, sig.reason);
    const entry = this.commands.get(`${service}/${command}`);
    if (!entry) throw new Refusal(REST.BAD_RESOURCE, `unknown command ${service}/${command}`);
    const limit = app.settings.rateLimits[entry.rate ?? 'default'];
    if (!(await this.limiter.allow(`${sdkAppId}:${entry.command}`, limit))) {
      reportOverLimit(this.broker, sdkAppId, entry.command, limit);
      throw new Refusal(REST.TOO_FREQUENT, `more than ${limit} calls per second to ${entry.command}`);
    }
    const body = await readJsonBody(req);
    const outcome = await dispatchCommand(this.broker, entry, sdkAppId, { kind: 'admin', id: identifier, ip: clientIpOf(req.socket.remoteAddress) }, body, requestId);
    if (outcome.ok) return ok(requestId, outcome.result, entry.display ?? false);
    return fail(requestId, outcome.code, outcome.info, entry.display ?? false, outcome.extra);
  }

  private checkQuery(query: Record<string, unknown>): { sdkAppId: number; identifier: string; usersig: string } {
    const { sdkappid, identifier, usersig, random, contenttype } = query;
    if (sdkappid === undefined || sdkappid === '') throw new Refusal(REST.NO_SDKAPPID, 'sdkappid is missing from the URL');
    if (typeof sdkappid !== 'string' || !/^\d{1,10}$/.test(sdkappid)) throw new Refusal(REST.BAD_SDKAPPID, 'sdkappid must be a number');
    if (typeof identifier !== 'string' || identifier === '') throw new Refusal(REST.BAD_ACCOUNT, 'identifier is missing from the URL');
    if (usersig === undefined || usersig === '') throw new Refusal(REST.EMPTY_SIG, 'usersig is missing from the URL');
    if (typeof usersig !== 'string') throw new Refusal(REST.BAD_ACCOUNT, 'usersig must appear once');
    if (random !== undefined && (typeof random !== 'string' || !/^\d{1,10}$/.test(random) || Number(random) > UINT32_MAX)) {
      throw new Refusal(REST.BAD_URL, 'random must be an unsigned 32-bit integer');
    }
    if (contenttype !== undefined && contenttype !== 'json') throw new Refusal(REST.BAD_URL, 'contenttype must be json');
    return { sdkAppId: Number(sdkappid), identifier, usersig };
  }
}

/** The body as a JSON object; Tencent refuses an empty body, so do we (send `{}`). */
function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > LIMITS.restBodyBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Refusal(REST.BAD_JSON, `request body over ${LIMITS.restBodyBytes} bytes`));
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > LIMITS.restBodyBytes) return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reject(new Refusal(REST.BAD_JSON, 'the request body is not JSON'));
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        return reject(new Refusal(REST.BAD_JSON, 'the request body must be a JSON object'));
      }
      resolve(parsed as Record<string, unknown>);
    });
  });
}
