/**
 * Frames of the web SDK's socket: binary WebSocket messages, each the UTF-8 JSON
 * `{head, body}` (docs/sdk-protocol.md §2). Parsing never throws: a frame is either usable or
 * a refusal with the Tencent code its error reply carries.
 */
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../commands/json-depth';

/** The head fields the gateway reads; the SDK sends more (ver, platform, cs…), all ignored. */
export interface FrameHead {
  servcmd: string;
  seq?: number | string;
  sdkappid?: number | string;
  identifier?: string;
  usersig?: string;
  a2?: string;
  tinyid?: string;
}

export interface Frame {
  head: FrameHead;
  body: Record<string, unknown>;
}

export type Parsed = { ok: true; frame: Frame } | { ok: false; code: number; info: string; head?: FrameHead };

/** 60003: not JSON; 60002: not a frame of this protocol (REST's codes for the same faults). */
export const BAD_JSON = 60003;
export const BAD_FRAME = 60002;

const SERVCMD = /^[a-z0-9_]{1,64}\.[A-Za-z0-9_]{1,64}$/;

export function parseFrame(data: Buffer): Parsed {
  // Checked before parsing: see services/commands/json-depth.ts for why.
  if (nestedDeeperThan(data)) return { ok: false, code: BAD_JSON, info: `the frame nests deeper than ${MAX_JSON_DEPTH} levels` };
  let doc: unknown;
  try {
    doc = JSON.parse(data.toString('utf8'));
  } catch {
    return { ok: false, code: BAD_JSON, info: 'the frame is not JSON' };
  }
  if (!isObject(doc) || !isObject(doc.head)) return { ok: false, code: BAD_FRAME, info: 'a frame is {"head": {...}, "body": {...}}' };
  const head = doc.head as Record<string, unknown>;
  const seq = head.seq;
  const correlatable = typeof head.servcmd === 'string' && head.servcmd.length <= 129 && (typeof seq === 'number' || typeof seq === 'string');
  const echo = correlatable ? { servcmd: head.servcmd as string, seq: seq as number | string } : undefined;
  if (typeof head.servcmd !== 'string' || !SERVCMD.test(head.servcmd)) return { ok: false, code: BAD_FRAME, info: 'head.servcmd must be "<service>.<command>"', head: echo };
  if (seq !== undefined && typeof seq !== 'number' && (typeof seq !== 'string' || seq.length > 20)) {
    return { ok: false, code: BAD_FRAME, info: 'head.seq must be a number' };
  }
  const body = doc.body ?? {};
  if (!isObject(body)) return { ok: false, code: BAD_FRAME, info: 'body must be a JSON object', head: echo };
  for (const key of ['identifier', 'usersig', 'a2', 'tinyid'] as const) {
    if (head[key] !== undefined && typeof head[key] !== 'string') return { ok: false, code: BAD_FRAME, info: `head.${key} must be a string`, head: echo };
  }
  return { ok: true, frame: { head: head as unknown as FrameHead, body } };
}

/** One binary frame; the reply head needs only the request's servcmd and seq. */
export function encodeFrame(head: { servcmd: string; seq?: number | string }, body: object): Buffer {
  return Buffer.from(JSON.stringify({ head, body }), 'utf8');
}

/**
 * A whole server-to-client WebSocket frame (RFC 6455 §5.2: FIN, opcode, unmasked length, payload)
 * around a serialised frame, built once for a room push and written as is to every socket — the
 * per-socket work of ws (header, cork, two writes) is what a fan-out to 20,000 sockets would
 * otherwise repeat.
 */
export function wsFrame(payload: Buffer, text: boolean): Buffer {
  const n = payload.length;
  const headerLength = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(headerLength + n);
  out[0] = 0x80 | (text ? 0x1 : 0x2);
  if (n < 126) out[1] = n;
  else if (n < 65536) {
    out[1] = 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 127;
    out.writeUInt32BE(0, 2);
    out.writeUInt32BE(n, 6);
  }
  payload.copy(out, headerLength);
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
