/**
 * A client process of bench/groups.ts: holds logged-in SDK sockets (the SDK's frames, UserSig
 * in the head) for the users it is given and timestamps every group message push it receives.
 * The sender puts its wall-clock send time (ms, fractional) in the message text; both
 * processes read the same clock, so send → receive is measured across processes.
 * IPC in:  {type:'connect', port, app, secret, users, concurrency} | {type:'count'} | {type:'collect'}
 * IPC out: {type:'connected', open, failures} | {type:'count', n} | {type:'latencies', values}
 */
import { WebSocket } from 'ws';
import { genUserSig } from '../services/auth/usersig';

interface Connect {
  type: 'connect';
  port: number;
  app: number;
  secret: string;
  users: string[];
  concurrency: number;
}

const now = () => performance.timeOrigin + performance.now();
const TEXT = Buffer.from('"Text":"');
const QUOTE = 0x22;
const sockets: WebSocket[] = [];
let latencies: number[] = [];
let received = 0;

/** The send times in a push frame (one per message; a frame may carry several) without parsing the JSON. */
function onFrame(data: Buffer): void {
  const at = now();
  for (let i = data.indexOf(TEXT); i >= 0; i = data.indexOf(TEXT, i + 1)) {
    const start = i + TEXT.length;
    const sentAt = Number(data.toString('latin1', start, data.indexOf(QUOTE, start)));
    if (!(sentAt > 0)) continue;
    received++;
    latencies.push(at - sentAt);
  }
}

function login(c: Connect, user: string, i: number): Promise<boolean> {
  const sig = genUserSig({ sdkAppId: c.app, secretKey: c.secret, identifier: user, expireSeconds: 86400 });
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${c.port}/binfo?sdkappid=${c.app}&instanceid=gc-${user}&platform=7&random=${i}`, { perMessageDeflate: false });
    ws.once('error', () => resolve(false));
    ws.once('open', () => {
      ws.once('message', (data: Buffer) => {
        const reply = JSON.parse(data.toString()) as { body: { ErrorCode?: number } };
        if (reply.body.ErrorCode) return resolve(false);
        ws.on('message', onFrame);
        sockets.push(ws);
        resolve(true);
      });
      const head = { ver: 'v4', platform: 7, sdkappid: c.app, servcmd: 'im_open_status.wslogin', seq: 1, identifier: user, usersig: sig, status_instid: 0, cs: 0 };
      ws.send(Buffer.from(JSON.stringify({ head, body: { State: 'Online', is_web_uniapp: 0, InstType: 0, CustomInfo: '' } })));
    });
  });
}

async function connectAll(c: Connect): Promise<void> {
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: c.concurrency }, async () => {
      while (next < c.users.length) {
        const i = next++;
        if (!(await login(c, c.users[i], i))) failures++;
      }
    }),
  );
  process.send?.({ type: 'connected', open: sockets.length, failures });
}

process.on('message', (msg: Connect | { type: 'count' | 'collect' }) => {
  if (msg.type === 'connect') void connectAll(msg);
  else if (msg.type === 'count') process.send?.({ type: 'count', n: received });
  else if (msg.type === 'collect') {
    process.send?.({ type: 'latencies', values: latencies });
    latencies = [];
    received = 0;
  }
});
process.on('disconnect', () => process.exit(0));
