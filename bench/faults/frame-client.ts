/**
 * A bare client of the SDK's socket for the fault benches: opens `/binfo`, sends frames (or
 * any bytes), and matches replies by servcmd and seq; frames nobody waits for are kept as pushes.
 */
import { WebSocket } from 'ws';

export interface Frame {
  head: Record<string, unknown>;
  body: Record<string, unknown>;
}

/** Head servcmd of the gateway's answer to a frame it could not correlate (services/connector/handlers.ts). */
export const FRAME_ERROR = 'parley.frame_error';

/** Waiting key of exchange('*'): the next frame, whatever it is. */
const ANY = '*';

export class FrameClient {
  readonly pushes: Frame[] = [];
  private readonly waiting = new Map<string, (frame: Frame) => void>();
  private seq = 1000;
  closeCode: number | undefined;
  /** The client-side error that ended the socket, if any (a frame it could not read…). */
  error: string | undefined;
  /** Frames that were not JSON (never expected from the gateway). */
  garbled = 0;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      let frame: Frame;
      try {
        frame = JSON.parse(data.toString('utf8')) as Frame;
      } catch {
        this.garbled++;
        return;
      }
      const key = `${String(frame.head?.servcmd)}\u0000${String(frame.head?.seq)}`;
      const resolve = this.waiting.get(key) ?? this.waiting.get(`${String(frame.head?.servcmd)}\u0000*`) ?? this.waiting.get(ANY);
      if (resolve) resolve(frame);
      else this.pushes.push(frame);
    });
    ws.on('close', (code) => (this.closeCode = code));
    ws.on('error', (err) => (this.error = err.message));
  }

  /** Opens a socket; `url` is the whole address (ws://host:port/binfo?…). */
  static connect(url: string, timeoutMs = 10_000): Promise<FrameClient> {
    const ws = new WebSocket(url, { handshakeTimeout: timeoutMs });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new FrameClient(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`upgrade answered ${res.statusCode}`), { status: res.statusCode })));
    });
  }

  static open(baseUrl: string, sdkAppId: number, query: Record<string, string> = {}): Promise<FrameClient> {
    const q = new URLSearchParams({ sdkappid: String(sdkAppId), instanceid: Math.random().toString(16).slice(2), platform: '7', ...query });
    return FrameClient.connect(`${baseUrl.replace(/^http/, 'ws')}/binfo?${q}`);
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  request(servcmd: string, body: object = {}, head: object = {}, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const seq = ++this.seq;
    return this.exchange(JSON.stringify({ head: { servcmd, seq, ...head }, body }), servcmd, seq, timeoutMs).then((f) => f.body);
  }

  /**
   * Sends any bytes and resolves with the reply to (servcmd, seq) — `seq` '*' takes any seq,
   * `servcmd` '*' any frame; rejects after `timeoutMs`, or as soon as the socket closes.
   */
  exchange(data: string | Buffer, servcmd: string, seq: unknown, timeoutMs = 15_000, binary = true): Promise<Frame> {
    const key = servcmd === ANY ? ANY : `${servcmd}\u0000${String(seq)}`;
    return new Promise((resolve, reject) => {
      const done = (error: Error | undefined, frame?: Frame) => {
        clearTimeout(timer);
        clearInterval(watch);
        this.waiting.delete(key);
        if (error) reject(error);
        else resolve(frame!);
      };
      const timer = setTimeout(() => done(new Error(`no reply to ${servcmd} within ${timeoutMs} ms`)), timeoutMs);
      const watch = setInterval(() => this.closeCode !== undefined && done(Object.assign(new Error(`socket closed with ${this.closeCode}`), { closeCode: this.closeCode })), 20);
      this.waiting.set(key, (frame) => done(undefined, frame));
      this.ws.send(typeof data === 'string' ? Buffer.from(data) : data, { binary });
    });
  }

  login(userId: string, usersig: string): Promise<Record<string, unknown>> {
    return this.request('im_open_status.wslogin', { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' }, { identifier: userId, usersig });
  }

  close(): void {
    this.ws.terminate();
  }
}
