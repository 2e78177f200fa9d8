/**
 * WebSocket cases of the fuzz bench: command frames with mutated bodies from a logged-in
 * socket, malformed frames (not JSON, odd heads and bodies, text instead of binary, too big),
 * mutated logins, and mutated upgrade requests written as raw HTTP. After each case the socket
 * must still answer a heartbeat, unless the protocol says it closes (a frame over 64 KiB: 1009).
 */
import net from 'node:net';
import { FrameClient } from './frame-client';
import type { CommandInfo, Target } from './fuzz-rest';
import { pct, urlSafe } from './fuzz-rest';
import { hostileString, hostileValue, longString, mutateMany, nested, plausible, type Json } from './fuzz-values';
import type { Rng } from './prng';
import { genUserSig } from '../../services/auth/usersig';

export interface WsCase {
  kind: 'ws-frame' | 'ws-raw' | 'ws-login' | 'ws-upgrade';
  /** Log in (as the worker's own user) before the case frame. */
  login: boolean;
  data: Buffer;
  binary: boolean;
  /** A request that gets no answer (push acknowledgements). */
  silent?: boolean;
  command?: CommandInfo;
  note: string;
}

/** The connector's internal-error code (services/connector/hub.ts CODES.INTERNAL). */
export const WS_INTERNAL = 70500;
/** Close code of a REST kick (services/connector/login.ts): a concurrent case may kick a pool user logged in here. */
const KICKED = 4001;
/** Largest frame the gateway reads (maxFrameBytes); bigger ones close the socket with 1009. */
const MAX_FRAME = 64 * 1024;

const BUILTINS = [
  'heartbeat.alive',
  'im_open_status.wslogin',
  'im_open_status.wslogout',
  'im_open_status.wshello',
  'im_open_status.ws_stat_settoken',
  'im_open_status.ws_stat_background',
  'im_open_status.ws_stat_foreground',
  'imopenstat.tim_web_report_v2',
  'im_sdk_config_mgr.fetch_config',
  'im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2',
  'openim.ws_msg_push_ack',
];

const frame = (head: Json, body: Json) => Buffer.from(JSON.stringify({ head, body }));

function rawFrame(rng: Rng, t: Target): { data: Buffer; note: string } {
  const seq = rng.int(1, 1e6);
  const variants: [string, () => Buffer][] = [
    ['not JSON', () => Buffer.from('{not json')],
    ['empty', () => Buffer.alloc(0)],
    ['binary junk', () => Buffer.from(Array.from({ length: rng.int(1, 300) }, () => rng.int(0, 255)))],
    ['JSON array', () => Buffer.from('[1,2]')],
    ['JSON string', () => Buffer.from('"head"')],
    ['null', () => Buffer.from('null')],
    ['no head', () => Buffer.from(JSON.stringify({ body: {} }))],
    ['head not an object', () => frame(hostileValue(rng, t.pool), {})],
    ['servcmd odd', () => frame({ servcmd: rng.pick<Json>([1, null, [], {}, '', '.', 'a.', '.b', 'a.b.c', 'A.b', 'no dots', longString(rng, 200), hostileString(rng, t.pool)]), seq }, {})],
    ['seq odd', () => frame({ servcmd: 'heartbeat.alive', seq: rng.pick<Json>([null, -1, 1.5, 'abc', '', longString(rng, 40), [], {}, 2 ** 64, true]) }, {})],
    ['body odd', () => frame({ servcmd: rng.pick(BUILTINS), seq }, hostileValue(rng, t.pool))],
    ['head fields odd', () => frame({ servcmd: 'im_open_status.wslogin', seq, identifier: hostileValue(rng, t.pool), usersig: hostileValue(rng, t.pool), a2: hostileValue(rng, t.pool), tinyid: hostileValue(rng, t.pool) }, {})],
    ['deep', () => frame({ servcmd: 'heartbeat.alive', seq }, nested(rng.pick([60, 63, 64, 65, 1000]), rng.chance(0.5)) as Json)],
    ['deep bytes', () => Buffer.from('['.repeat(rng.pick([70, 5000, 60_000])))],
    ['proto keys', () => Buffer.from(`{"head":{"servcmd":"heartbeat.alive","seq":${seq},"__proto__":{"servcmd":"x.y"}},"body":{"__proto__":{"a":1},"constructor":{"prototype":{}}}}`)],
    ['lone surrogate', () => Buffer.from(`{"head":{"servcmd":"heartbeat.alive","seq":"\\ud800"},"body":{"x":"\\udfff"}}`)],
    ['invalid UTF-8', () => Buffer.concat([Buffer.from('{"head":{"servcmd":"heartbeat.alive","seq":1},"body":{"x":"'), Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('"}}')])],
    ['near the limit', () => frame({ servcmd: 'heartbeat.alive', seq }, { pad: 'x'.repeat(MAX_FRAME - 100) })],
    ['over the limit', () => frame({ servcmd: 'heartbeat.alive', seq }, { pad: 'x'.repeat(MAX_FRAME + rng.int(1, 100_000)) })],
  ];
  const [note, make] = rng.pick(variants);
  return { data: make(), note };
}

export function wsCase(rng: Rng, t: Target): WsCase {
  const kind = rng.weighted<WsCase['kind']>([
    ['ws-frame', 55],
    ['ws-raw', 25],
    ['ws-login', 10],
    ['ws-upgrade', 10],
  ]);
  const binary = rng.chance(0.9);
  if (kind === 'ws-frame') {
    const useCommand = rng.chance(0.85);
    const command = useCommand ? rng.pick(t.commands) : undefined;
    const servcmd = command ? command.name.replace('/', '.') : rng.pick(BUILTINS);
    const { body, what } = mutateMany(rng, command ? plausible(rng, command.schema, '', t.pool) : {}, t.pool, rng.int(0, 3));
    return { kind, login: rng.chance(0.9), data: frame({ servcmd, seq: rng.int(1, 1e6) }, body), binary, silent: servcmd === 'openim.ws_msg_push_ack', command, note: `${servcmd}: ${what.join('; ') || 'plausible body'}` };
  }
  if (kind === 'ws-raw') {
    const raw = rawFrame(rng, t);
    const login = rng.chance(0.5);
    return { kind, login, data: raw.data, binary, silent: login && isPushAck(raw.data), note: raw.note };
  }
  if (kind === 'ws-login') {
    const user = rng.pick(t.pool.users);
    const now = Math.floor(Date.now() / 1000);
    const usersig = rng.pick<() => Json>([
      () => genUserSig({ sdkAppId: t.sdkAppId, secretKey: t.secret, identifier: user, expireSeconds: 3600 }),
      () => genUserSig({ sdkAppId: t.sdkAppId, secretKey: 'other-key-0123456789abcdef', identifier: user, expireSeconds: 3600 }),
      () => genUserSig({ sdkAppId: t.sdkAppId, secretKey: t.secret, identifier: user, expireSeconds: 3600, now: now + 10 * 365 * 86_400 }),
      () => genUserSig({ sdkAppId: t.sdkAppId, secretKey: t.secret, identifier: `${user}x`, expireSeconds: 3600 }),
      () => hostileString(rng, t.pool),
      () => hostileValue(rng, t.pool),
    ])();
    const head: Record<string, Json> = { servcmd: 'im_open_status.wslogin', seq: rng.int(1, 1e6), identifier: rng.chance(0.8) ? user : hostileString(rng, t.pool), usersig };
    if (rng.chance(0.3)) Object.assign(head, { a2: rng.pick(['', `v1.${user}.1.1.9999999999.x`, hostileString(rng, t.pool)]), tinyid: rng.pick(['', '144115188075855873', '-1', hostileString(rng, t.pool)]) });
    let body: Json = { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' };
    if (rng.chance(0.5)) body = mutateMany(rng, body, t.pool, 1).body;
    return { kind, login: false, data: frame(head, body), binary, note: 'mutated login' };
  }
  return { kind, login: false, data: Buffer.from(upgradeRequest(rng, t)), binary, note: 'upgrade' };
}

function upgradeRequest(rng: Rng, t: Target): string {
  const path = rng.pick(['/binfo', '/binfo', '/info', '/x/binfo', '/binfo/', '//binfo', '/', '/v4/openim/sendmsg', '//a:99999/binfo', '//[::1/binfo', '/%zz/binfo', '/b%69nfo', '//user@host/binfo', '/healthz', '/console']);
  const params: [string, string][] = [
    ['sdkappid', rng.pick([String(t.sdkAppId), String(t.sdkAppId), '0', '-1', 'abc', '1e400', '99999999999999999999', ''])],
    ['instanceid', rng.pick(['abc123', 'abc123', '', longString(rng, 100), '😀', 'a b', '__proto__'])],
    ['platform', rng.pick(['7', '7', '0', '-1', '999', 'web', '7.5', '101', '15', '20', ''])],
    ['host', rng.pick(['web', 'ios', 'android', 'ipad', hostileString(rng, t.pool).slice(0, 200)])],
  ];
  const query = params
    .filter(() => rng.chance(0.85))
    .flatMap((p) => (rng.chance(0.1) ? [p, p] : [p]))
    .map(([k, v]) => `${k}=${rng.chance(0.15) ? urlSafe(v) : pct(v)}`)
    .join('&');
  const version = rng.chance(0.9) ? '13' : rng.pick(['8', '', 'x']);
  const key = rng.chance(0.9) ? 'dGhlIHNhbXBsZSBub25jZQ==' : rng.pick(['', 'short', '!!!!']);
  return `GET ${path}?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: ${version}\r\n\r\n`;
}

/** Runs one case; resolves with why it failed, or undefined. */
export async function runWsCase(c: WsCase, t: Target, user: string, timeoutMs: number, tally: (what: string) => void): Promise<string | undefined> {
  if (c.kind === 'ws-upgrade') return rawUpgrade(t.port, c.data, timeoutMs, tally);
  const client = await FrameClient.open(`http://127.0.0.1:${t.port}`, t.sdkAppId).catch((err: Error) => err);
  if (client instanceof Error) return `could not open a socket: ${client.message}`;
  try {
    if (c.login) {
      const login = await client.login(user, genUserSig({ sdkAppId: t.sdkAppId, secretKey: t.secret, identifier: user, expireSeconds: 3600 }));
      if (login.ErrorCode !== 0) return `login failed: ${String(login.ErrorCode)} ${String(login.ErrorInfo)}`;
    }
    // Closes the protocol prescribes: a frame over the limit (1009), a text frame that is not UTF-8 (1007).
    const expectedClose = c.data.length > MAX_FRAME ? 1009 : !c.binary && !isUtf8(c.data) ? 1007 : undefined;
    if (c.silent && expectedClose === undefined) client.ws.send(c.data, { binary: c.binary });
    else {
      const reply = await client.exchange(c.data, '*', '*', timeoutMs, c.binary).catch((err: Error & { closeCode?: number }) => err);
      if (reply instanceof Error) {
        const closeCode = (reply as { closeCode?: number }).closeCode;
        // A client still writing an over-size frame may see the connection end (1006) before the 1009 frame.
        if (expectedClose !== undefined && (closeCode === expectedClose || (expectedClose === 1009 && closeCode === 1006))) return undefined;
        if (closeCode === KICKED) return undefined;
        return closeCode === undefined ? `no reply: ${reply.message}` : `socket closed with ${closeCode}${client.error ? ` (${client.error})` : ''}${client.pushes.length ? `; pushed before: ${client.pushes.map((p) => `${String(p.head.servcmd)} ${JSON.stringify(p.body).slice(0, 120)}`).join(', ')}` : ''}`;
      }
      if (expectedClose) return `the frame was answered, not closed with ${expectedClose}`;
      const body = reply.body ?? {};
      const code = body.ErrorCode;
      tally(`WS ${String(code ?? 0)}`);
      const info = typeof body.ErrorInfo === 'string' ? body.ErrorInfo : '';
      if (/internal error/i.test(info) || code === WS_INTERNAL || (c.command && code === c.command.internalCode)) return `internal error ${String(code)}: ${info}`;
    }
    // Whatever the case did, the connection still serves.
    const alive = await client.request('heartbeat.alive', {}, {}, timeoutMs).catch((err: Error) => err);
    if (alive instanceof Error && client.closeCode === KICKED) return undefined;
    if (alive instanceof Error) return `socket unusable afterwards: ${alive.message}${client.closeCode ? ` (closed ${client.closeCode})` : ''}`;
    if (alive.ErrorCode !== 0) return `heartbeat afterwards answered ${String(alive.ErrorCode)}`;
    return undefined;
  } finally {
    client.close();
  }
}

/** A well-formed push acknowledgement, which the gateway never answers. */
function isPushAck(data: Buffer): boolean {
  try {
    const doc = JSON.parse(data.toString('utf8')) as { head?: { servcmd?: unknown }; body?: unknown };
    // A missing or null body reads as {} (services/connector/frames.ts).
    return doc.head?.servcmd === 'openim.ws_msg_push_ack' && (doc.body === undefined || doc.body === null || (typeof doc.body === 'object' && !Array.isArray(doc.body)));
  } catch {
    return false;
  }
}

function isUtf8(data: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(data);
    return true;
  } catch {
    return false;
  }
}

/** Writes an upgrade request as raw HTTP; any status but 5xx, or a close, is fine — silence is not. */
function rawUpgrade(port: number, request: Buffer, timeoutMs: number, tally: (what: string) => void): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    const done = (why: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(why);
    };
    const timer = setTimeout(() => done(`upgrade not answered within ${timeoutMs} ms`), timeoutMs);
    socket.on('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      if (status) tally(`upgrade ${status[1]}`);
      if (status) done(Number(status[1]) >= 500 ? `upgrade answered ${answer.split('\r\n')[0]}` : undefined);
    });
    socket.on('error', () => done(undefined));
    socket.on('close', () => done(undefined));
  });
}
