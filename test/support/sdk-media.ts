/**
 * Tencent's SDK sending media from Node, as it does in a browser: the copy gets a `window`
 * (so it takes its web code paths), an XMLHttpRequest over node:http (what tim-upload-plugin
 * uploads with) and an `Image` that downloads a URL and reads its size with sharp (what the
 * SDK does to measure an uploaded image and its renditions). tim-upload-plugin, Tencent's own
 * upload plugin, is evaluated with that XMLHttpRequest and registered on the client.
 * What the browser-only shims saw is kept (`requests`, `images`) so tests can check the SDK's
 * traffic.
 */
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { Script } from 'node:vm';
import sharp from 'sharp';
import { createSdkClient, type SdkClient, type SdkTarget } from './sdk';

export interface MediaTraffic {
  /** Every XMLHttpRequest: method, URL, status. */
  requests: { method: string; url: string; status: number }[];
  /** Every Image.src the SDK set, with the size it read (0×0 when the download failed). */
  images: { url: string; width: number; height: number }[];
}

export interface MediaClient extends SdkClient {
  traffic: MediaTraffic;
}

function xhrClass(traffic: MediaTraffic) {
  return class NodeXMLHttpRequest {
    responseType = 'text';
    status = 0;
    statusText = '';
    responseText = '';
    onload: (() => void) | null = null;
    onerror: ((e: { message?: string }) => void) | null = null;
    upload: { onprogress: ((e: { total: number; loaded: number }) => void) | null } = { onprogress: null };
    private method = 'GET';
    private url = '';
    private headers: Record<string, string> = {};
    private responseHeaders: http.IncomingHttpHeaders = {};

    open(method: string, url: string): void {
      this.method = method;
      this.url = url;
    }
    setRequestHeader(name: string, value: string): void {
      this.headers[name] = value;
    }
    getAllResponseHeaders(): string {
      return Object.entries(this.responseHeaders).map(([k, v]) => `${k}: ${String(v)}`).join('\r\n');
    }
    send(body?: Blob | null): void {
      const size = body?.size ?? 0;
      const req = http.request(this.url, { method: this.method, headers: { ...this.headers, 'content-length': String(size) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          this.status = res.statusCode ?? 0;
          this.statusText = res.statusMessage ?? '';
          this.responseHeaders = res.headers;
          this.responseText = Buffer.concat(chunks).toString('utf8');
          traffic.requests.push({ method: this.method, url: this.url, status: this.status });
          this.onload?.();
        });
      });
      req.on('error', (err) => {
        traffic.requests.push({ method: this.method, url: this.url, status: 0 });
        this.onerror?.({ message: err.message });
      });
      if (!body) return void req.end();
      let loaded = 0;
      const stream = Readable.fromWeb(body.stream() as never);
      stream.on('data', (c: Buffer) => {
        loaded += c.length;
        this.upload.onprogress?.({ total: size, loaded });
      });
      stream.pipe(req);
    }
  };
}

function imageClass(traffic: MediaTraffic) {
  return class NodeImage {
    width = 0;
    height = 0;
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    set src(url: string) {
      void (async () => {
        try {
          const res = await fetch(url);
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          const meta = await sharp(Buffer.from(await res.arrayBuffer())).metadata();
          this.width = meta.width ?? 0;
          this.height = meta.height ?? 0;
          traffic.images.push({ url, width: this.width, height: this.height });
          this.onload?.call(this);
        } catch {
          traffic.images.push({ url, width: 0, height: 0 });
          this.onerror?.call(this);
        }
      })();
    }
  };
}

const PLUGIN = require.resolve('tim-upload-plugin');

/** tim-upload-plugin evaluated with our XMLHttpRequest in place of the browser's. */
function loadUploadPlugin(XMLHttpRequest: unknown): unknown {
  const mod = { exports: {} as unknown };
  const script = new Script(`(function (module, exports, XMLHttpRequest, console) {\n${readFileSync(PLUGIN, 'utf8')}\n})`, { filename: PLUGIN });
  const quiet = new Proxy(console, { get: () => () => undefined });
  (script.runInThisContext() as (...a: unknown[]) => void)(mod, mod.exports, XMLHttpRequest, quiet);
  return mod.exports;
}

/** A logged-in SDK client that can send images, files, sound and video through Parley. */
export async function mediaLogin(node: SdkTarget, userId: string, clients: SdkClient[], createOptions: Record<string, unknown> = {}): Promise<MediaClient> {
  const traffic: MediaTraffic = { requests: [], images: [] };
  const XMLHttpRequest = xhrClass(traffic);
  const window = {
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    location: { href: 'http://127.0.0.1/' },
    URL: { createObjectURL: () => 'blob:parley-test' },
    performance: {},
  };
  const client = await createSdkClient({
    sdkAppId: node.sdkAppId, userId, userSig: node.sig(userId), proxyServer: node.proxyServer,
    createOptions, browser: { window, XMLHttpRequest, Image: imageClass(traffic), HTMLInputElement: class HTMLInputElement {}, document: { charset: 'UTF-8', characterSet: 'UTF-8' }, navigator: {} },
  });
  clients.push(client);
  client.chat.registerPlugin({ 'tim-upload-plugin': loadUploadPlugin(XMLHttpRequest) });
  await client.login();
  return Object.assign(client, { traffic });
}
