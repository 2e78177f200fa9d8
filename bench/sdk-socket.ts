/**
 * One SDK socket for benches that need a reply's size and time: the web SDK's binary JSON frames
 * (`{head, body}`), `wslogin` with the UserSig in the head, then the reply's A2Key and TinyId in
 * every head, as bench/load-clients.ts speaks them. A request resolves with the reply's body,
 * its frame's bytes on the wire and the time from send to reply; every frame that answers no
 * request is handed to `onPush` as raw bytes (a bench may count or scan them without parsing).
 */
import { WebSocket } from 'ws';
import { genUserSig } from '../services/auth/usersig';

export type Body = Record<string, unknown>;

export interface Reply {
  body: Body;
  /** Bytes of the reply frame as received. */
  bytes: number;
  ms: number;
}

export interface SocketApp {
  port: number;
  app: number;
  secret: string;
}

export class SdkSocket {
  private seq = 0;
  private readonly pending = new Map<number, { at: number; resolve: (r: Reply) => void }>();
  private head = '';
  onPush: (data: Buffer) => void = () => undefined;

  private constructor(
    readonly ws: WebSocket,
    readonly user: string,
  ) {
    ws.on('message', (data: Buffer) => {
      // A reply names its request's seq near the start of the head; pushes carry none we sent.
      const m = /"seq":(\d+)/.exec(data.toString('latin1', 0, Math.min(data.length, 600)));
      const waiting = m ? this.pending.get(Number(m[1])) : undefined;
      if (!waiting) return this.onPush(data);
      this.pending.delete(Number(m![1]));
      const frame = JSON.parse(data.toString('utf8')) as { body?: Body };
      waiting.resolve({ body: frame.body ?? {}, bytes: data.length, ms: performance.now() - waiting.at });
    });
    ws.on('error', () => undefined);
  }

  /** Opens a socket and logs `user` in (its account is created at login when it does not exist). */
  static async login(a: SocketApp, user: string, instance = `${user}-${Math.random().toString(36).slice(2, 8)}`): Promise<SdkSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${a.port}/binfo?sdkappid=${a.app}&instanceid=${instance}&platform=7&random=${Math.random()}`, { perMessageDeflate: false });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const s = new SdkSocket(ws, user);
    const usersig = genUserSig({ sdkAppId: a.app, secretKey: a.secret, identifier: user, expireSeconds: 86400 });
    const base = { ver: 'v4', platform: 7, websdkappid: 537048168, websdkversion: '1.7.3', sdkappid: a.app, contenttype: 'json', reqtime: Math.floor(Date.now() / 1000) };
    const seq = ++s.seq;
    const head = { ...base, identifier: user, usersig, status_instid: 0, servcmd: 'im_open_status.wslogin', seq, cs: 0 };
    const reply = await new Promise<Reply>((resolve) => {
      s.pending.set(seq, { at: performance.now(), resolve });
      ws.send(Buffer.from(JSON.stringify({ head, body: { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' } })));
    });
    if (reply.body.ErrorCode) throw new Error(`login of ${user}: ${String(reply.body.ErrorCode)} ${String(reply.body.ErrorInfo)}`);
    const after = { ...base, a2: reply.body.A2Key, tinyid: reply.body.TinyId, status_instid: reply.body.InstId, sdkability: 75689843, sdkability_ext: '', cappid: 0 };
    s.head = JSON.stringify(after).slice(1, -1);
    return s;
  }

  /** One request as the SDK frames it; resolves with the reply (never rejects: an error is the reply's ErrorCode). */
  request(servcmd: string, body: object | string): Promise<Reply> {
    const seq = ++this.seq;
    const json = typeof body === 'string' ? body : JSON.stringify(body);
    return new Promise((resolve) => {
      this.pending.set(seq, { at: performance.now(), resolve });
      this.ws.send(Buffer.from(`{"head":{${this.head},"servcmd":"${servcmd}","seq":${seq},"cs":0},"body":${json}}`));
    });
  }

  close(): void {
    this.ws.terminate();
  }
}
