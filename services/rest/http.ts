/**
 * The REST face: POST /v4/{service}/{command}?sdkappid&identifier&usersig&random&contenttype=json,
 * answered over HTTP 200 with Tencent's envelope whatever happens. Order of checks follows
 * what a caller can fix first: URL, app, administrator and UserSig, rate, body, command.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBroker } from 'moleculer';
import { LIMITS } from '../../actors/apps/settings/limits';
import type { AppDirectory } from '../apps/registry';
import type { SigVerifier } from '../auth/verifier';
import { adminCredentials, authenticateAdmin, knownAdmin, REST, Refusal } from './admin-auth';
import { clientIpOf, type CommandTable } from '../commands/commands';
import { dispatchCommand } from '../commands/dispatch';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../commands/json-depth';
import { fail, newRequestId, ok, type Envelope } from '../commands/envelope';
import { reportOverLimit } from './over-limit';
import type { RateLimiter } from './rate-limit';

const UINT32_MAX = 0xffffffff;

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
    const credentials = adminCredentials(query, 'the URL');
    checkQuery(query);
    // A cached sig and an in-process rate count answer without an await (each await of the
    // hot path is a promise and a suspended frame per call: docs/rest-api.md, what a call costs).
    const { app, identifier } = knownAdmin(this.apps, this.verifier, credentials) ?? (await authenticateAdmin(this.apps, this.verifier, credentials));
    const sdkAppId = app.sdkAppId;
    const entry = this.commands.get(`${service}/${command}`);
    if (!entry) throw new Refusal(REST.BAD_RESOURCE, `unknown command ${service}/${command}`);
    const limit = app.settings.rateLimits[entry.rate ?? 'default'];
    const rateKey = `${sdkAppId}:${entry.command}`;
    if (!(this.limiter.allowNow?.(rateKey, limit) ?? (await this.limiter.allow(rateKey, limit)))) {
      reportOverLimit(this.broker, sdkAppId, entry.command, limit);
      throw new Refusal(REST.TOO_FREQUENT, `more than ${limit} calls per second to ${entry.command}`);
    }
    const body = await readJsonBody(req);
    const outcome = await dispatchCommand(this.broker, entry, sdkAppId, { kind: 'admin', id: identifier, ip: clientIpOf(req.socket.remoteAddress) }, body, requestId);
    if (outcome.ok) return ok(requestId, outcome.result, entry.display ?? false);
    return fail(requestId, outcome.code, outcome.info, entry.display ?? false, outcome.extra);
  }

}

/** What REST adds to the administrator's credentials in the query string. */
function checkQuery(query: Record<string, unknown>): void {
  const { random, contenttype } = query;
  if (random !== undefined && (typeof random !== 'string' || !/^\d{1,10}$/.test(random) || Number(random) > UINT32_MAX)) {
    throw new Refusal(REST.BAD_URL, 'random must be an unsigned 32-bit integer');
  }
  if (contenttype !== undefined && contenttype !== 'json') throw new Refusal(REST.BAD_URL, 'contenttype must be json');
}

/** The body as a JSON object; Tencent refuses an empty body, so do we (send `{}`). Shared with the console API. */
export function readJsonBody(req: IncomingMessage, maxBytes: number = LIMITS.restBodyBytes): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new Refusal(REST.BAD_JSON, `request body over ${maxBytes} bytes`));
      } else chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('end', () => {
      if (size > maxBytes) return;
      const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      if (nestedDeeperThan(raw)) return reject(new Refusal(REST.BAD_JSON, `the request body nests deeper than ${MAX_JSON_DEPTH} levels`));
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
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
