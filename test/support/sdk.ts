/**
 * Drives Tencent's real web SDK (@tencentcloud/chat 3.6.6) in Node against a WebSocket server.
 *
 * Why a private copy of the SDK per client: `TencentCloudChat.create()` keeps one instance per
 * SDKAppID in module scope, so two users in one process need two module evaluations. The bundle
 * is compiled once and evaluated per client inside a wrapper whose parameters shadow the globals
 * it reads, which gives each copy:
 *   - `WebSocket` = the `ws` package (the bundle calls `new WebSocket(url)` on the global; Node 20
 *     has none, Node 22's built-in one is not what we want to pin),
 *   - its own `setTimeout`/`setInterval`, tracked so destroy() can clear every timer it left,
 *   - a silent `console` (the SDK logs at construction, before setLogLevel can be called),
 *   - `navigator` undefined, so Node 21+ (which has one) looks like Node 20 to the SDK.
 * Nothing global is modified. See docs/sdk-protocol.md for what the SDK sends.
 */
import { readFileSync } from 'node:fs';
import { Script } from 'node:vm';
import { WebSocket as WsSocket } from 'ws';
import type TencentCloudChat from '@tencentcloud/chat';
import type { ChatSDK } from '@tencentcloud/chat';

export type TencentCloudChatModule = typeof TencentCloudChat;

export interface SdkClientOptions {
  sdkAppId: number;
  userId: string;
  userSig: string;
  /** e.g. `ws://127.0.0.1:PORT`; the SDK appends `/binfo?…`. */
  proxyServer: string;
  /** SDK log level 0 (all) … 3 (errors); omit or 4 for silence. PARLEY_SDK_LOG=<n> overrides. */
  logLevel?: number;
  /** More options of TencentCloudChat.create() (fileUploadProxy, fileDownloadProxy). */
  createOptions?: Record<string, unknown>;
  /**
   * Browser globals for this copy only (test/support/sdk-media.ts): with `window` the SDK takes
   * its web code paths (media messages need them), `XMLHttpRequest` carries uploads, `Image`
   * measures uploaded images. Unset, the copy sees none of them, as in plain Node.
   */
  browser?: { window: object; XMLHttpRequest: unknown; Image: unknown; HTMLInputElement: unknown; document: object; navigator: object };
  /** Sees every frame this copy sends ('out') and receives ('in'), as text: what a test counts of the traffic. */
  onFrame?: (direction: 'out' | 'in', text: string) => void;
}

export interface RecordedEvent {
  name: string;
  data: unknown;
  at: number;
}

export interface WaitOptions {
  where?: (data: unknown) => boolean;
  timeoutMs?: number;
}

export interface SdkEvents {
  /** Every SDK event of this client, in order. */
  readonly log: readonly RecordedEvent[];
  /** Resolves with the data of the first not yet taken event `name` (past or future) matching `where`. */
  waitFor(name: string, options?: WaitOptions): Promise<unknown>;
  count(name: string): number;
}

export interface SdkClient {
  chat: ChatSDK;
  /** The private module copy, for `TYPES` and `EVENT` constants. */
  TencentCloudChat: TencentCloudChatModule;
  events: SdkEvents;
  /** Logs in and, unless told otherwise, waits for SDK_READY. Resolves with the login response data. */
  login(options?: { waitReady?: boolean; timeoutMs?: number }): Promise<unknown>;
  logout(): Promise<void>;
  /** Calls chat.destroy() (bounded), then closes sockets and clears timers the copy still holds. */
  destroy(): Promise<void>;
}

const SDK_ENTRY = require.resolve('@tencentcloud/chat');
const SHADOWED = ['module', 'exports', 'WebSocket', 'console', 'navigator',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'window', 'XMLHttpRequest', 'Image', 'HTMLInputElement', 'document'] as const;
let compiled: Script | undefined;

type Shadows = { [K in (typeof SHADOWED)[number]]: unknown };

interface Sandbox {
  shadows: Shadows;
  exports(): TencentCloudChatModule;
  shutdown(): void;
}

function sandbox(log: Console, browser?: SdkClientOptions['browser'], onFrame?: SdkClientOptions['onFrame']): Sandbox {
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<WsSocket>();
  class TrackedWebSocket extends WsSocket {
    constructor(url: string) {
      super(url);
      sockets.add(this);
      this.on('close', () => sockets.delete(this));
      // The SDK only sets onerror; without a listener of our own ws would throw on refused connections.
      this.on('error', () => undefined);
      if (onFrame) this.on('message', (data: unknown) => onFrame('in', frameText(data)));
    }

    override send(data: Parameters<WsSocket['send']>[0], ...rest: unknown[]): void {
      if (onFrame) onFrame('out', frameText(data));
      (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  }
  const track = (kind: 'timeout' | 'interval') => (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const handle: NodeJS.Timeout = kind === 'timeout'
      ? setTimeout(() => { timers.delete(handle); fn(...args); }, ms)
      : setInterval(fn, ms, ...args);
    timers.add(handle);
    return handle;
  };
  const clear = (handle?: NodeJS.Timeout | number) => {
    if (handle === undefined || typeof handle === 'number') return;
    clearTimeout(handle);
    timers.delete(handle);
  };
  const mod = { exports: {} as unknown };
  const shadows: Shadows = {
    module: mod, exports: mod.exports, WebSocket: TrackedWebSocket, console: log, navigator: browser?.navigator,
    setTimeout: track('timeout'), setInterval: track('interval'), clearTimeout: clear, clearInterval: clear,
    window: browser?.window, XMLHttpRequest: browser?.XMLHttpRequest, Image: browser?.Image, HTMLInputElement: browser?.HTMLInputElement, document: browser?.document,
  };
  return {
    shadows,
    exports: () => mod.exports as TencentCloudChatModule,
    shutdown() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.terminate();
      sockets.clear();
    },
  };
}

/** A frame as text, whichever of ws's binary shapes it came in. */
function frameText(data: unknown): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data as Buffer[]).toString('utf8');
  return String(data);
}

/** Evaluates a fresh copy of the SDK bundle. */
function loadSdk(box: Sandbox): TencentCloudChatModule {
  compiled ??= new Script(
    `(function (${SHADOWED.join(', ')}) {\n${readFileSync(SDK_ENTRY, 'utf8')}\n})`,
    { filename: SDK_ENTRY },
  );
  const factory = compiled.runInThisContext() as (...args: unknown[]) => void;
  factory(...SHADOWED.map((k) => box.shadows[k]));
  return box.exports();
}

function silentConsole(): Console {
  const noop = (): void => undefined;
  return new Proxy(console, { get: () => noop });
}

function recorder(chat: ChatSDK, sdk: TencentCloudChatModule): SdkEvents {
  const log: RecordedEvent[] = [];
  const taken = new Set<RecordedEvent>();
  const waiters = new Set<() => void>();
  for (const name of Object.values(sdk.EVENT) as string[]) {
    chat.on(name, (event: { data?: unknown }) => {
      log.push({ name, data: event?.data, at: Date.now() });
      for (const wake of [...waiters]) wake();
    });
  }
  return {
    log,
    count: (name) => log.filter((e) => e.name === name).length,
    waitFor(name, { where = () => true, timeoutMs = 5000 } = {}) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = log.find((e) => e.name === name && !taken.has(e) && where(e.data));
          if (!hit) return false;
          taken.add(hit);
          resolve(hit.data);
          return true;
        };
        if (check()) return;
        const wake = (): void => { if (check()) done(); };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`SDK event ${name} not seen within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = (): void => { clearTimeout(timer); waiters.delete(wake); };
        waiters.add(wake);
      });
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), ms); });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

export async function createSdkClient(options: SdkClientOptions): Promise<SdkClient> {
  const envLevel = process.env.PARLEY_SDK_LOG;
  const logLevel = envLevel !== undefined && envLevel !== '' ? Number(envLevel) : (options.logLevel ?? 4);
  const box = sandbox(logLevel < 4 ? console : silentConsole(), options.browser, options.onFrame);
  const sdk = loadSdk(box);
  const chat = sdk.create({ ...options.createOptions, SDKAppID: options.sdkAppId, proxyServer: options.proxyServer });
  chat.setLogLevel(logLevel);
  const events = recorder(chat, sdk);
  let destroyed = false;

  return {
    chat,
    TencentCloudChat: sdk,
    events,
    async login({ waitReady = true, timeoutMs = 10000 } = {}) {
      const res = (await chat.login({ userID: options.userId, userSig: options.userSig })) as { data?: unknown };
      if (waitReady && !chat.isReady()) await events.waitFor(sdk.EVENT.SDK_READY, { timeoutMs });
      return res?.data;
    },
    async logout() {
      await chat.logout();
    },
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      // destroy() logs out first; a server that is gone would hold that for the 15 s request timeout.
      await withTimeout(chat.destroy().catch(() => undefined), 1000);
      box.shutdown();
    },
  };
}

/** What a test knows of a node to log a user in: its app, its WebSocket address, a UserSig maker. */
export interface SdkTarget {
  sdkAppId: number;
  proxyServer: string;
  sig(userId: string): string;
}

/** A real SDK client logged in to `node` as `userId`, kept in `clients` (before the login, so teardown finds it even if the login fails). */
export async function sdkLogin(node: SdkTarget, userId: string, clients: SdkClient[]): Promise<SdkClient> {
  const client = await createSdkClient({ sdkAppId: node.sdkAppId, userId, userSig: node.sig(userId), proxyServer: node.proxyServer });
  clients.push(client);
  await client.login();
  return client;
}

/** A text message sent through the SDK to a user (`C2C`) or a group (`GROUP`); the SDK's sent message. */
export async function sendTextMessage<M>(c: SdkClient, to: string, text: string, kind: 'C2C' | 'GROUP'): Promise<M> {
  const conversationType = kind === 'C2C' ? c.TencentCloudChat.TYPES.CONV_C2C : c.TencentCloudChat.TYPES.CONV_GROUP;
  const sent = (await c.chat.sendMessage(c.chat.createTextMessage({ to, conversationType, payload: { text } }))) as { data: { message: M } };
  return sent.data.message;
}

/** Message `id` from the first MESSAGE_RECEIVED batch of `c` that holds it. */
export async function messageReceived<M extends { ID: string }>(c: SdkClient, id: string, timeoutMs = 5000): Promise<M> {
  const where = (d: unknown) => (d as M[]).some((m) => m.ID === id);
  const batch = (await c.events.waitFor(c.TencentCloudChat.EVENT.MESSAGE_RECEIVED, { where, timeoutMs })) as M[];
  return batch.find((m) => m.ID === id)!;
}

/** The texts `c` received in a conversation with `to` (a group id or a user), in order. */
export function receivedTexts(c: SdkClient, to: string): (string | undefined)[] {
  return c.events.log
    .filter((e) => e.name === c.TencentCloudChat.EVENT.MESSAGE_RECEIVED)
    .flatMap((e) => e.data as { to: string; payload: { text?: string } }[])
    .filter((m) => m.to === to && m.payload.text !== undefined)
    .map((m) => m.payload.text);
}
