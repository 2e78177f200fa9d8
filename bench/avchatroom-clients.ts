/**
 * One client process of bench/avchatroom.ts: opens `count` sockets speaking the SDK's frames,
 * logs each in as its own user and joins the live room (apply_join_group, as the SDK does),
 * then times every marked push it receives (`~~i:t~~`, t the send's start on the server).
 * IPC out: ready {open, failures}; done {i} once each of its sockets has message i; report
 * {histogram, deliveries, last} when asked (and resets).
 * argv: port sdkAppId secret firstUser count concurrency groupId
 */
import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { genUserSig } from '../services/auth/usersig';

const [port, sdkAppId, secret, first, count, concurrency, groupId] = process.argv.slice(2);
const APP = Number(sdkAppId);
const N = Number(count);
const now = () => performance.timeOrigin + performance.now();
/** Latency histogram in 0.1 ms buckets up to 60 s. */
const BUCKETS = 600_000;
let histogram = new Uint32Array(BUCKETS);
let deliveries = 0;
let last = 0;
let open = 0;
let failures = 0;
const received = new Map<number, number>();
const MARK = Buffer.from('~~');

function onPush(data: Buffer): void {
  const at = now();
  const start = data.indexOf(MARK);
  if (start < 0) return;
  const end = data.indexOf(MARK, start + 2);
  const [i, t] = data.toString('latin1', start + 2, end).split(':').map(Number);
  histogram[Math.min(BUCKETS - 1, Math.max(0, Math.round((at - t) * 10)))]++;
  deliveries++;
  last = at;
  const n = (received.get(i) ?? 0) + 1;
  if (n === open) {
    received.delete(i);
    process.send?.({ type: 'done', i });
  } else received.set(i, n);
}

function request(ws: WebSocket, servcmd: string, seq: number, head: object, body: object): Promise<{ ErrorCode?: number }> {
  return new Promise((resolve) => {
    const on = (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { head: { seq?: number }; body: { ErrorCode?: number } };
      if (frame.head.seq !== seq) return;
      ws.off('message', on);
      resolve(frame.body);
    };
    ws.on('message', on);
    ws.send(Buffer.from(JSON.stringify({ head: { ver: 'v4', platform: 7, sdkappid: APP, servcmd, seq, ...head }, body })));
  });
}

function join(i: number): Promise<void> {
  const user = `viewer${Number(first) + i}`;
  const usersig = genUserSig({ sdkAppId: APP, secretKey: secret, identifier: user, expireSeconds: 86400 });
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/binfo?sdkappid=${APP}&instanceid=av${first}x${i}&platform=7`, { perMessageDeflate: false });
    const fail = () => {
      failures++;
      resolve();
    };
    ws.once('error', fail);
    ws.once('open', async () => {
      const login = await request(ws, 'im_open_status.wslogin', 1, { identifier: user, usersig }, { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' });
      const joined = login.ErrorCode ? login : await request(ws, 'group_open_http_svc.apply_join_group', 2, {}, { GroupId: groupId });
      if (joined.ErrorCode) return fail();
      ws.removeListener('error', fail);
      ws.on('error', () => undefined);
      ws.on('message', onPush);
      open++;
      resolve();
    });
  });
}

process.on('message', (msg: { type: string }) => {
  if (msg.type !== 'report') return;
  const sparse: [number, number][] = [];
  for (let b = 0; b < BUCKETS; b++) if (histogram[b] > 0) sparse.push([b, histogram[b]]);
  process.send?.({ type: 'report', histogram: sparse, deliveries, last });
  histogram = new Uint32Array(BUCKETS);
  deliveries = 0;
  received.clear();
});

async function main(): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < N) await join(next++);
    }),
  );
  process.send?.({ type: 'ready', open, failures });
}

void main();
