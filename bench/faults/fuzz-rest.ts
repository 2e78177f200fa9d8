/**
 * REST cases of the fuzz bench: mutated bodies of every served command, raw bodies that are
 * barely JSON or not at all, and mutated URLs (query string, path, method). Sent with
 * node:http, which passes odd methods and bytes through unchanged.
 */
import http from 'node:http';
import { genUserSig } from '../../services/auth/usersig';
import { hostileString, longString, mutateMany, nested, plausible, type JsonSchema, type Pool } from './fuzz-values';
import type { Rng } from './prng';

export interface CommandInfo {
  name: string;
  schema: JsonSchema;
  internalCode: number;
}

export interface Target {
  port: number;
  sdkAppId: number;
  secret: string;
  admin: string;
  commands: CommandInfo[];
  pool: Pool;
}

export interface HttpCase {
  kind: 'rest-body' | 'rest-raw' | 'rest-url';
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** The command the URL names, when it names a served one: its internal code is watched for. */
  command?: CommandInfo;
  /**
   * Past a documented limit (a body over 1 MiB, a request head over Node's 16 KiB): the server
   * may answer and close while the client still writes, so a reset connection is no failure.
   */
  oversize?: boolean;
  note: string;
}

export interface HttpOutcome {
  status: number;
  text: string;
}

/** The REST face's internal-error code before a command is known (services/rest/http.ts). */
export const REST_INTERNAL = 70500;

const sig = (t: Target, user: string, extra: { key?: string; sdkAppId?: number; now?: number; expire?: number } = {}) =>
  genUserSig({ sdkAppId: extra.sdkAppId ?? t.sdkAppId, secretKey: extra.key ?? t.secret, identifier: user, expireSeconds: extra.expire ?? 3600, now: extra.now });

/** Percent-encodes the UTF-8 bytes of `s` outside `keep` (lone surrogates, which encodeURIComponent refuses, become U+FFFD). */
function percent(s: string, keep: RegExp): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += byte < 0x80 && keep.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A query-string component. */
export const pct = (s: string) => percent(s, /[A-Za-z0-9\-._~]/);

/** What an HTTP request line cannot carry raw, percent-encoded; '%' kept as given (broken escapes stay broken). */
export const urlSafe = (s: string) => percent(s, /[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/);

function query(t: Target, rng: Rng, mutateIt: boolean): { query: string; note: string } {
  const now = Math.floor(Date.now() / 1000);
  const params: [string, string][] = [
    ['sdkappid', String(t.sdkAppId)],
    ['identifier', t.admin],
    ['usersig', sig(t, t.admin)],
    ['random', String(rng.int(0, 0xffffffff))],
    ['contenttype', 'json'],
  ];
  if (!mutateIt) return { query: params.map(([k, v]) => `${k}=${pct(v)}`).join('&'), note: '' };
  const notes: string[] = [];
  for (let n = rng.int(1, 3); n > 0; n--) {
    const i = rng.int(0, params.length - 1);
    const [key] = params[i];
    const alternatives: Record<string, () => string> = {
      sdkappid: () => rng.pick(['0', '-1', '1e3', '0x10', '99999999999999999999', ` ${t.sdkAppId}`, `${t.sdkAppId}.0`, '1400000001', '', '4294967296']),
      identifier: () => rng.pick(['', 'nobody', t.pool.users[0], 'administrator\u0000', 'ADMINISTRATOR', longString(rng, 5000)]),
      usersig: () =>
        rng.pick([
          () => '',
          () => 'not-base64!!',
          () => Buffer.from(longString(rng, rng.int(1, 400))).toString('base64'),
          () => sig(t, t.admin).slice(0, rng.int(1, 60)),
          () => sig(t, t.pool.users[0]),
          () => sig(t, t.admin, { key: 'another-key-0123456789abcdef' }),
          () => sig(t, t.admin, { sdkAppId: t.sdkAppId + 1 }),
          () => sig(t, t.admin, { now: now - 1000, expire: 10 }),
          () => sig(t, t.admin, { now: now + 20 * 365 * 86_400 }),
          () => sig(t, t.admin, { expire: 0 }),
          () => sig(t, t.admin).replace(/\*/g, '+').replace(/-/g, '/'),
          () => longString(rng, 9000),
        ])(),
      random: () => rng.pick(['-1', '4294967296', '1.5', 'abc', '', '00000000001', '9'.repeat(30)]),
      contenttype: () => rng.pick(['JSON', 'xml', '', 'json ', 'application/json']),
    };
    const how = rng.int(0, 3);
    if (how === 0) {
      params.splice(i, 1);
      notes.push(`no ${key}`);
    } else if (how === 1) {
      params.push([key, params[i][1]]);
      notes.push(`${key} twice`);
    } else {
      params[i] = [key, alternatives[key]()];
      notes.push(`${key}=${params[i][1].slice(0, 40)}`);
    }
  }
  if (rng.chance(0.3)) {
    const extra = rng.pick(['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'sdkappid[]', 'length', '']);
    params.push([extra, rng.pick(['1', 'x', ''])]);
    if (rng.chance(0.5)) params.push([extra, '2']);
    notes.push(`extra ${extra}`);
  }
  const encoded = params.map(([k, v]) => `${pct(k)}=${rng.chance(0.1) ? urlSafe(v) : pct(v)}`);
  if (rng.chance(0.1)) encoded.push(rng.pick(['%', '%zz', '&&', '=', 'a=%E0%A4%A', '%00=%00']));
  return { query: encoded.join('&'), note: notes.join(', ') };
}

const RAW_BODIES: (() => Buffer)[] = [
  () => Buffer.alloc(0),
  () => Buffer.from(' '),
  () => Buffer.from('null'),
  () => Buffer.from('true'),
  () => Buffer.from('0'),
  () => Buffer.from('"x"'),
  () => Buffer.from('[]'),
  () => Buffer.from('[{}]'),
  () => Buffer.from('{'),
  () => Buffer.from('{"a":'),
  () => Buffer.from('{}}'),
  () => Buffer.from('{"a":1,}'),
  () => Buffer.from("{'a':1}"),
  () => Buffer.from('\ufeff{}'),
  () => Buffer.from([0xff, 0xfe, 0x7b, 0x7d]),
  () => Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  () => Buffer.from('{"a":1e99999}'),
  () => Buffer.from('{"a":NaN}'),
  () => Buffer.from('{"MsgRandom":1,"MsgRandom":"x"}'),
  () => Buffer.from('{"__proto__":{"polluted":1},"constructor":{"prototype":{"x":1}}}'),
  () => Buffer.from('{}garbage'),
  () => Buffer.from('['.repeat(200_000)),
  () => Buffer.from('{"a":'.repeat(100_000)),
  () => Buffer.from(`${' '.repeat(1024 * 1024 - 2)}{}`),
  () => Buffer.from(`{"a":"${'x'.repeat(1024 * 1024)}"}`),
  () => Buffer.from(JSON.stringify(nested(64, false))),
  () => Buffer.from(JSON.stringify(nested(65, true))),
  () => Buffer.from('"\\ud800"'),
];

const MAX_BODY = 1024 * 1024;
const MAX_HEAD = 16 * 1024;

export function httpCase(rng: Rng, t: Target): HttpCase {
  const c = generate(rng, t);
  return { ...c, oversize: (c.body?.length ?? 0) > MAX_BODY || c.path.length > MAX_HEAD - 1024 };
}

function generate(rng: Rng, t: Target): HttpCase {
  const command = rng.pick(t.commands);
  const kind = rng.weighted<HttpCase['kind']>([
    ['rest-body', 70],
    ['rest-raw', 12],
    ['rest-url', 18],
  ]);
  const headers: Record<string, string> = { 'content-type': rng.chance(0.9) ? 'application/json' : rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', '']) };
  if (kind === 'rest-body') {
    const { body, what } = mutateMany(rng, plausible(rng, command.schema, '', t.pool), t.pool, rng.int(0, 3));
    const q = query(t, rng, rng.chance(0.05));
    return { kind, method: 'POST', path: `/v4/${command.name}?${q.query}`, headers, body: Buffer.from(JSON.stringify(body)), command, note: [...what, q.note].filter(Boolean).join('; ') || 'plausible body' };
  }
  if (kind === 'rest-raw') {
    const i = rng.int(0, RAW_BODIES.length - 1);
    return { kind, method: 'POST', path: `/v4/${command.name}?${query(t, rng, false).query}`, headers, body: RAW_BODIES[i](), command, note: `raw body #${i}` };
  }
  const method = rng.weighted([
    ['POST', 6],
    ['GET', 1],
    ['PUT', 1],
    ['DELETE', 1],
    ['PATCH', 1],
    ['OPTIONS', 1],
    ['HEAD', 1],
  ]);
  const q = query(t, rng, rng.chance(0.8));
  const pathOf = rng.int(0, 9);
  const segment = () => urlSafe(rng.chance(0.5) ? hostileString(rng, t.pool).slice(0, 2000) : rng.pick(['', '.', '..', '%2e%2e', '%', '%zz', '%E0%A4%A', 'v4', 'openim', 'sendmsg', 'OPENIM']));
  const [service, name] = command.name.split('/');
  const path =
    pathOf < 5
      ? `/v4/${command.name}`
      : pathOf === 5
        ? `/v4/${segment()}/${segment()}`
        : pathOf === 6
          ? `/v4/${service}/${name}/${segment()}`
          : pathOf === 7
            ? rng.pick(['/v4', '/v4/', '/v4//', `/V4/${command.name}`, `//v4/${command.name}`, `/v4/${service}`, `/v4/${command.name}/`, '/v4/%2F/%2F'])
            : pathOf === 8
              ? rng.pick(['/', '/healthz', '/readyz', '/openapi.json', '/console', '/console/', '/console/../../etc/passwd', '/console/api/x', '/binfo', '/info', `/${segment()}`])
              : `/v4/${command.name}${rng.pick(['#frag', ';x=1', '?', '??', '?&'])}`;
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.from(JSON.stringify(plausible(rng, command.schema, '', t.pool)));
  const served = pathOf < 5 || pathOf === 9;
  return { kind, method, path: `${path}${path.includes('?') ? '&' : '?'}${q.query}`, headers, body, command: served ? command : undefined, note: `${method} ${path.slice(0, 80)}; ${q.note}` };
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One request on a pooled keep-alive connection. A connection the server closed while idle
 * (after a refused over-size body, say) fails the next request sent on it before any byte is
 * read — a race every HTTP client has, which Node's documentation answers with one retry on a
 * fresh connection; the retry is counted, so the race stays visible.
 */
export async function sendHttp(port: number, c: HttpCase, timeoutMs: number, counters: { retried: number }): Promise<HttpOutcome> {
  try {
    return await sendOnce(port, c, timeoutMs, agent);
  } catch (err) {
    if (!(err as { reusedSocket?: boolean }).reusedSocket) throw err;
    counters.retried++;
    return sendOnce(port, c, timeoutMs, false);
  }
}

function sendOnce(port: number, c: HttpCase, timeoutMs: number, via: http.Agent | false): Promise<HttpOutcome> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: c.method, path: c.path, headers: c.headers, agent: via, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size < 4 * 1024 * 1024) chunks.push(chunk);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket && /ECONNRESET|EPIPE|socket hang up/.test(`${(err as NodeJS.ErrnoException).code} ${err.message}`) })));
    req.end(c.body);
  });
}

/** Why an HTTP outcome is a failure, or undefined: no 5xx, no internal-error code or text. */
export function judgeHttp(c: HttpCase, outcome: HttpOutcome, tally: (what: string) => void): string | undefined {
  if (outcome.status >= 500) return `HTTP ${outcome.status}: ${outcome.text.slice(0, 200)}`;
  let answer: { ErrorCode?: unknown; ErrorInfo?: unknown } | undefined;
  try {
    answer = JSON.parse(outcome.text) as typeof answer;
  } catch {
    tally(`HTTP ${outcome.status}`);
    return undefined; // not an envelope: only paths outside /v4 answer otherwise (404 pages, HEAD)
  }
  const code = answer?.ErrorCode;
  tally(`REST ${String(code)}`);
  const info = typeof answer?.ErrorInfo === 'string' ? answer.ErrorInfo : '';
  if (/internal error/i.test(info)) return `internal error ${String(code)}: ${info}`;
  if (code === REST_INTERNAL || (c.command && code === c.command.internalCode)) return `internal-error code ${String(code)}: ${info}`;
  return undefined;
}
