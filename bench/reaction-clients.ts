/**
 * A client process of bench/reactions.ts: holds logged-in SDK sockets (bench/sdk-socket.ts) for
 * the users it is given, fires one burst of requests from them at once, and watches what is
 * pushed to them: per socket, the highest count it was shown of each reaction
 * (MsgReactionNotifyList), and the group messages whose text is their send time (as
 * bench/group-clients.ts times them). Pushes are scanned, not parsed.
 * IPC in → out:
 *   {type:'connect', port, app, secret, users, concurrency} → {type:'connected', open, failures}
 *   {type:'fire', requests: [{user, servcmd, body}]} → {type:'fired', results: [{code, sentAt, at}]}
 *     (wall-clock ms from performance.timeOrigin, one clock for every process on the machine)
 *   {type:'seen'} → {type:'seen', minSeen: {reaction: lowest over sockets of the highest count
 *     shown}, reactionFrames, lastReactionAt, messages, lastMessageAt, latencies}
 *   {type:'reset'} → {type:'reset'} (forgets what was seen)
 */
import { SdkSocket } from './sdk-socket';

interface Connect {
  type: 'connect';
  port: number;
  app: number;
  secret: string;
  users: string[];
  concurrency: number;
}
interface Fire {
  type: 'fire';
  requests: { user: string; servcmd: string; body: object }[];
}

const now = () => performance.timeOrigin + performance.now();
const sockets = new Map<string, SdkSocket>();
/** Per socket: reaction → the highest count pushed to it. */
const seen = new Map<string, Map<string, number>>();
let reactionFrames = 0;
let lastReactionAt = 0;
let messages = 0;
let lastMessageAt = 0;
let latencies: number[] = [];

const REACTION = /"Reaction":"([^"]+)","Count":(\d+)/g;
const TEXT = Buffer.from('"Text":"');

function onPush(user: string, data: Buffer): void {
  const at = now();
  if (data.includes('MsgReactionNotifyList')) {
    reactionFrames++;
    lastReactionAt = at;
    const mine = seen.get(user) ?? new Map<string, number>();
    seen.set(user, mine);
    for (const m of data.toString('utf8').matchAll(REACTION)) mine.set(m[1], Math.max(mine.get(m[1]) ?? 0, Number(m[2])));
    return;
  }
  for (let i = data.indexOf(TEXT); i >= 0; i = data.indexOf(TEXT, i + 1)) {
    const start = i + TEXT.length;
    const sentAt = Number(data.toString('latin1', start, data.indexOf(0x22, start)));
    if (!(sentAt > 0)) continue;
    messages++;
    lastMessageAt = at;
    latencies.push(at - sentAt);
  }
}

async function connect(c: Connect): Promise<void> {
  let next = 0;
  let failures = 0;
  await Promise.all(
    Array.from({ length: c.concurrency }, async () => {
      while (next < c.users.length) {
        const user = c.users[next++];
        try {
          const s = await SdkSocket.login({ port: c.port, app: c.app, secret: c.secret }, user);
          s.onPush = (data) => onPush(user, data);
          sockets.set(user, s);
        } catch {
          failures++;
        }
      }
    }),
  );
  process.send?.({ type: 'connected', open: sockets.size, failures });
}

async function fire(f: Fire): Promise<void> {
  const results = await Promise.all(
    f.requests.map(async (r) => {
      const sentAt = now();
      // A group message carries its send time as its text, for the receivers' latencies.
      const body = r.servcmd.endsWith('send_group_msg') ? { ...r.body, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `${sentAt}` } }] } : r.body;
      const reply = await sockets.get(r.user)!.request(r.servcmd, body);
      return { code: Number(reply.body.ErrorCode ?? 0), sentAt, at: now() };
    }),
  );
  process.send?.({ type: 'fired', results });
}

function report(): void {
  const minSeen: Record<string, number> = {};
  const reactions = new Set([...seen.values()].flatMap((m) => [...m.keys()]));
  for (const r of reactions) minSeen[r] = Math.min(...[...sockets.keys()].map((u) => seen.get(u)?.get(r) ?? 0));
  process.send?.({ type: 'seen', minSeen, reactionFrames, lastReactionAt, messages, lastMessageAt, latencies });
}

process.on('message', (msg: Connect | Fire | { type: 'seen' | 'reset' }) => {
  if (msg.type === 'connect') void connect(msg);
  else if (msg.type === 'fire') void fire(msg);
  else if (msg.type === 'seen') report();
  else {
    seen.clear();
    reactionFrames = messages = lastReactionAt = lastMessageAt = 0;
    latencies = [];
    process.send?.({ type: 'reset' });
  }
});
process.on('disconnect', () => process.exit(0));
