/**
 * Loopback stand-ins for the push providers that speak their real protocols and check what
 * the real ones check, for tests and the bench:
 * - ApnsServer: HTTP/2 (h2c), POST /3/device/<token>; verifies the provider JWT (ES256
 *   signature with the team's public key, kid, iss, iat under an hour), apns-topic,
 *   apns-push-type, apns-priority, apns-expiration, apns-collapse-id ≤ 64 bytes, a JSON
 *   payload ≤ 4 KB with `aps`; answers 410 Unregistered / 400 BadDeviceToken for tokens
 *   declared gone, 403 for a bad JWT, 503 while told to fail.
 * - FcmServer: an OAuth token endpoint (RFC 7523 JWT bearer grant: RS256 signature with the
 *   service account's public key, iss, aud = token URL, scope, exp) and the FCM v1 send
 *   endpoint (the bearer must be a token it issued; UNREGISTERED for gone tokens).
 * - WebPushServer: a push service endpoint that checks the VAPID Authorization (ES256 JWT
 *   signed by the key in k=, aud = its origin, exp) and decrypts the aes128gcm body (RFC
 *   8188/8291) with the subscription's private key and auth secret.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import http2 from 'node:http2';
import net from 'node:net';
import crypto, { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';

export interface Received {
  token: string;
  headers: Record<string, string>;
  payload: Record<string, unknown>;
}

const listen = (server: net.Server) => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));

abstract class Recorder {
  readonly received: Received[] = [];
  readonly refused: string[] = [];
  /** Answer this many requests with 503 before accepting again. */
  failNext = 0;
  private waiters: (() => void)[] = [];

  protected got(r: Received): void {
    this.received.push(r);
    for (const w of this.waiters.splice(0)) w();
  }

  protected refuse(why: string): void {
    this.refused.push(why);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once check() holds, re-checked at every request. */
  waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what} (received ${this.received.length}, refused: ${this.refused.join('; ')})`)), timeoutMs);
      const test = () => {
        if (check()) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(test);
      };
      test();
    });
  }
}

export function apnsKeys(): { key: string; publicKey: KeyObject } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return { key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

export class ApnsServer extends Recorder {
  readonly gone = new Set<string>();
  private readonly server = http2.createServer();
  port = 0;

  constructor(
    private readonly teamId: string,
    private readonly keyId: string,
    private readonly publicKey: KeyObject,
    private readonly bundleId: string,
  ) {
    super();
    this.server.on('stream', (stream, headers) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => this.answer(stream, headers, Buffer.concat(chunks)));
      stream.on('error', () => undefined);
    });
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    this.port = await new Promise<number>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)));
  }

  private answer(stream: http2.ServerHttp2Stream, h: http2.IncomingHttpHeaders, body: Buffer): void {
    const reply = (status: number, reason?: string) => {
      stream.respond({ ':status': status, 'content-type': 'application/json' });
      stream.end(reason ? JSON.stringify({ reason }) : undefined);
    };
    const path = String(h[':path'] ?? '');
    const token = decodeURIComponent(path.replace(/^\/3\/device\//, ''));
    const bad = (why: string, status = 400) => {
      this.refuse(why);
      reply(status, why);
    };
    if (h[':method'] !== 'POST' || !path.startsWith('/3/device/')) return bad('BadPath', 404);
    const auth = String(h.authorization ?? '');
    try {
      const decoded = jwt.verify(auth.replace(/^bearer /, ''), this.publicKey, { algorithms: ['ES256'], complete: true });
      const claims = decoded.payload as { iss?: string; iat?: number };
      if (decoded.header.kid !== this.keyId || claims.iss !== this.teamId) return bad('InvalidProviderToken', 403);
      if (!claims.iat || Date.now() / 1000 - claims.iat > 3600) return bad('ExpiredProviderToken', 403);
    } catch {
      return bad('InvalidProviderToken', 403);
    }
    if (h['apns-topic'] !== this.bundleId) return bad('BadTopic');
    if (!['alert', 'background', 'voip'].includes(String(h['apns-push-type']))) return bad('InvalidPushType');
    if (!['10', '5', '1'].includes(String(h['apns-priority']))) return bad('BadPriority');
    if (!/^[0-9]+$/.test(String(h['apns-expiration']))) return bad('BadExpirationDate');
    if (h['apns-collapse-id'] !== undefined && Buffer.byteLength(String(h['apns-collapse-id'])) > 64) return bad('BadCollapseId');
    if (body.length > 4096) return bad('PayloadTooLarge', 413);
    let payload: Record<string, unknown>;
    try {
      payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      if (typeof payload.aps !== 'object') return bad('PayloadEmpty');
    } catch {
      return bad('PayloadEmpty');
    }
    if (this.failNext > 0) {
      this.failNext--;
      return reply(503, 'ServiceUnavailable');
    }
    if (this.gone.has(token)) return reply(410, 'Unregistered');
    if (!/^[0-9a-f]{16,200}$/i.test(token)) return reply(400, 'BadDeviceToken');
    const headers = Object.fromEntries(Object.entries(h).filter(([k]) => k.startsWith('apns-')).map(([k, v]) => [k, String(v)]));
    this.got({ token, headers, payload });
    reply(200);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export function serviceAccount(tokenUri: string): { account: { project_id: string; client_email: string; private_key: string; token_uri: string }; publicKey: KeyObject } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    account: { project_id: 'parley-test', client_email: 'push@parley-test.iam.gserviceaccount.com', private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), token_uri: tokenUri },
    publicKey,
  };
}

export class FcmServer extends Recorder {
  readonly gone = new Set<string>();
  readonly issued = new Set<string>();
  exchanges = 0;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  port = 0;
  publicKey: KeyObject | undefined;
  clientEmail = '';

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get tokenUri(): string {
    return `${this.endpoint}/token`;
  }

  async start(): Promise<void> {
    this.port = await listen(this.server);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const send = (status: number, body: object) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/token') {
      const form = new URLSearchParams(text);
      try {
        if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') throw new Error('grant_type');
        const claims = jwt.verify(form.get('assertion') ?? '', this.publicKey!, { algorithms: ['RS256'], audience: this.tokenUri, issuer: this.clientEmail }) as { scope?: string; exp?: number };
        if (claims.scope !== 'https://www.googleapis.com/auth/firebase.messaging' || !claims.exp) throw new Error('scope');
      } catch (err) {
        this.refuse(`oauth: ${(err as Error).message}`);
        return send(400, { error: 'invalid_grant' });
      }
      this.exchanges++;
      const token = `ya29.${crypto.randomBytes(12).toString('hex')}`;
      this.issued.add(token);
      return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
    }
    const m = /^\/v1\/projects\/([^/]+)\/messages:send$/.exec(req.url ?? '');
    if (!m || req.method !== 'POST') return send(404, { error: { code: 404, status: 'NOT_FOUND' } });
    const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.issued.has(bearer)) {
      this.refuse('fcm: unknown bearer');
      return send(401, { error: { code: 401, status: 'UNAUTHENTICATED' } });
    }
    if (this.failNext > 0) {
      this.failNext--;
      return send(503, { error: { code: 503, status: 'UNAVAILABLE' } });
    }
    let message: { token?: string; notification?: object };
    try {
      message = (JSON.parse(text) as { message: typeof message }).message;
    } catch {
      return send(400, { error: { code: 400, status: 'INVALID_ARGUMENT' } });
    }
    if (!message?.token) return send(400, { error: { code: 400, status: 'INVALID_ARGUMENT' } });
    if (this.gone.has(message.token)) {
      return send(404, { error: { code: 404, status: 'NOT_FOUND', details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode: 'UNREGISTERED' }] } });
    }
    this.got({ token: message.token, headers: {}, payload: message as Record<string, unknown> });
    send(200, { name: `projects/${m[1]}/messages/${this.received.length}` });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A browser's side of a subscription: its ECDH key pair and auth secret. */
export interface Subscriber {
  ecdh: crypto.ECDH;
  auth: Buffer;
  subscription: { endpoint: string; keys: { p256dh: string; auth: string } };
}

/** A self-signed certificate for 127.0.0.1 (push services speak HTTPS only; web-push refuses anything else). */
export function selfSigned(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export class WebPushServer extends Recorder {
  readonly gone = new Set<string>();
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly tls = selfSigned();
  private readonly server = https.createServer(this.tls, (req, res) => void this.handle(req, res));
  port = 0;

  /** The certificate to trust (an https.Agent with it as `ca`). */
  get ca(): string {
    return this.tls.cert;
  }

  async start(): Promise<void> {
    this.port = await listen(this.server);
  }

  subscribe(id: string): Subscriber {
    const ecdh = crypto.createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = crypto.randomBytes(16);
    const s: Subscriber = { ecdh, auth, subscription: { endpoint: `https://127.0.0.1:${this.port}/push/${id}`, keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') } } };
    this.subscribers.set(id, s);
    return s;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const end = (status: number) => {
      res.writeHead(status);
      res.end();
    };
    const id = (req.url ?? '').replace(/^\/push\//, '');
    const s = this.subscribers.get(id);
    if (!s || this.gone.has(id)) return end(410);
    try {
      // VAPID (RFC 8292): Authorization: vapid t=<JWT>, k=<public key>
      const auth = /^vapid t=([^,]+), k=(.+)$/.exec(String(req.headers.authorization ?? ''));
      if (!auth) throw new Error('no vapid authorization');
      const k = Buffer.from(auth[2], 'base64url');
      const key = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: k.subarray(1, 33).toString('base64url'), y: k.subarray(33).toString('base64url') }, format: 'jwk' });
      const claims = jwt.verify(auth[1], key, { algorithms: ['ES256'], audience: `https://127.0.0.1:${this.port}` }) as { sub?: string; exp?: number };
      if (!claims.sub || !claims.exp || claims.exp - Date.now() / 1000 > 86_400) throw new Error('vapid claims');
      if (req.headers['content-encoding'] !== 'aes128gcm') throw new Error('content-encoding');
      if (!/^[0-9]+$/.test(String(req.headers.ttl))) throw new Error('TTL');
      const payload = JSON.parse(decrypt(Buffer.concat(chunks), s).toString('utf8')) as Record<string, unknown>;
      if (this.failNext > 0) {
        this.failNext--;
        return end(503);
      }
      this.got({ token: id, headers: { topic: String(req.headers.topic ?? ''), urgency: String(req.headers.urgency ?? ''), ttl: String(req.headers.ttl) }, payload });
      end(201);
    } catch (err) {
      this.refuse(`webpush: ${(err as Error).message}`);
      end(400);
    }
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** RFC 8291 §3.4 and RFC 8188: one aes128gcm record, decrypted as the browser would. */
export function decrypt(body: Buffer, s: Subscriber): Buffer {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const serverKey = body.subarray(21, 21 + idlen);
  const record = body.subarray(21 + idlen);
  const ecdhSecret = s.ecdh.computeSecret(serverKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), s.ecdh.getPublicKey(), serverKey]);
  const ikm = Buffer.from(crypto.hkdfSync('sha256', ecdhSecret, s.auth, keyInfo, 32));
  const cek = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = crypto.createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  let i = plain.length - 1;
  while (i >= 0 && plain[i] === 0) i--;
  if (plain[i] !== 2) throw new Error('no last-record delimiter');
  return plain.subarray(0, i);
}
