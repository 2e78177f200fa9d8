/**
 * One load process of the WebSocket benchmarks: opens `count` sockets speaking the SDK's
 * frames, logs each in as its own user (UserSig in the head, as the SDK does), keeps them
 * alive with heartbeat.alive like an idle SDK, and reports login latencies over IPC.
 * argv: port sdkAppId secret firstUser count concurrency
 */
import { WebSocket } from 'ws';
import { genUserSig } from '../services/auth/usersig';

const [port, sdkAppId, secret, first, count, concurrency] = process.argv.slice(2);
const APP = Number(sdkAppId);
const N = Number(count);
const sockets: WebSocket[] = [];
const latencies: number[] = [];
let failures = 0;

function connectAndLogin(i: number): Promise<void> {
  const user = `u${Number(first) + i}`;
  const sig = genUserSig({ sdkAppId: APP, secretKey: secret, identifier: user, expireSeconds: 86400 });
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/binfo?sdkappid=${APP}&instanceid=bench${first}x${i}&platform=7&random=${Math.random()}`, { perMessageDeflate: false });
    const fail = () => {
      failures++;
      resolve();
    };
    ws.once('error', fail);
    ws.once('open', () => {
      ws.once('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { body: { ErrorCode?: number } };
        if (reply.body.ErrorCode) return fail();
        latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
        ws.removeListener('error', fail);
        ws.on('error', () => undefined);
        ws.on('message', () => undefined);
        sockets.push(ws);
        resolve();
      });
      const head = { ver: 'v4', platform: 7, sdkappid: APP, servcmd: 'im_open_status.wslogin', seq: 1, identifier: user, usersig: sig, status_instid: 0, cs: 0 };
      ws.send(Buffer.from(JSON.stringify({ head, body: { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' } })));
    });
  });
}

async function main(): Promise<void> {
  // An idle SDK sends heartbeat.alive after 10 s without downlink traffic; spread them out.
  let seq = 2;
  setInterval(() => {
    const slice = Math.ceil(sockets.length / 10);
    const start = (seq % 10) * slice;
    for (const ws of sockets.slice(start, start + slice)) ws.send(Buffer.from(JSON.stringify({ head: { servcmd: 'heartbeat.alive', seq }, body: {} })));
    seq++;
  }, 1000);
  const t0 = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Number(concurrency) }, async () => {
      while (next < N) await connectAndLogin(next++);
    }),
  );
  process.send?.({ type: 'logged-in', ms: Date.now() - t0, latencies, failures, open: sockets.length });
}

void main();
