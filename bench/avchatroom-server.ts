/**
 * The node under test of bench/avchatroom.ts: one embedded Parley in its own process (every
 * service, SQLite in a temp folder), and the bare loop it is compared with, run on the same
 * server-side sockets. IPC (each request answered with the same `type` + 'ed'):
 *   room → create the AVChatRoom; count → who is in it on this node; cpu → process.cpuUsage();
 *   send {mode, i} → one message: 'parley' through send_group_msg as the app administrator (the
 *   whole path: command table action, owner-node wrapper, actor, room push), 'bare' as one loop
 *   writing one pre-built frame of the same shape to the raw socket of every session in the room
 *   (answered first and run on the next turn, as send_group_msg answers before its fan-out).
 * The message text carries `~~i:t~~`, t the send's start in ms (performance.timeOrigin + now(),
 * comparable across processes on one machine).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ServiceBroker } from 'moleculer';
import { loadConfig } from '../config';
import { brokerOptions } from '../moleculer.config';
import type { ConnectorService } from '../services/connector/types';
import { encodeFrame, wsFrame } from '../services/connector/frames';
import { PUSH_SERVCMD } from '../services/connector/replies';
import { roomOf } from '../services/connector/rooms';
import { groupMessageItem, groupMessagePush } from '../services/groups/wire';
import { SERVICES_DIR } from '../services/locate';

const now = () => performance.timeOrigin + performance.now();
const admin = { kind: 'admin', id: 'administrator' };
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

type Request = { type: 'room' } | { type: 'count' } | { type: 'cpu' } | { type: 'send'; mode: 'parley' | 'bare'; i: number };

async function main(): Promise<void> {
  const config = loadConfig({
    ...process.env,
    PARLEY_DATA: fs.mkdtempSync(path.join(os.tmpdir(), 'parley-av-bench-')),
    PARLEY_LOG_LEVEL: 'warn',
    PARLEY_SQLITE_SYNC: process.env.PARLEY_SQLITE_SYNC ?? 'NORMAL',
  });
  const app = Number(config.firstApp.sdkAppId);
  const broker = new ServiceBroker(brokerOptions(config));
  broker.loadServices(SERVICES_DIR, '**/*.service' + path.extname(__filename));
  await broker.start();
  const connector = broker.getLocalService('connector') as ConnectorService;
  let groupId = '';

  /** The bare loop: no checks, no Moleculer, no JSON per message beyond building the one frame. */
  const bare = (i: number, t: number): number => {
    const item = groupMessageItem(app, groupId, 'AVChatRoom', {
      seq: t, from: 'administrator', random: i, clientSeq: 0, clientTime: Math.floor(t / 1000), time: Math.floor(t / 1000), priority: 2,
      body: JSON.stringify(text(`~~${i}:${t}~~`)), cloudCustomData: '', offlinePush: null, atAll: false, atUsers: [], fromNick: '', fromFace: '',
      nameCard: '', byAdmin: true, contentHash: i, noUnread: false,
    });
    const framed = wsFrame(encodeFrame({ servcmd: PUSH_SERVCMD }, groupMessagePush([item])), false);
    let n = 0;
    for (const s of connector.rooms.sessions(roomOf(app, groupId)) ?? []) {
      (s.ws as unknown as { _socket: { write(b: Buffer): boolean } })._socket.write(framed);
      n++;
    }
    return n;
  };

  const handle = async (msg: Request): Promise<object> => {
    switch (msg.type) {
      case 'room': {
        const created = await broker.call<{ GroupId: string }, object>('groups.create', { app, caller: admin, body: { Type: 'AVChatRoom', Name: 'bench live room' } });
        groupId = created.GroupId;
        return { groupId };
      }
      case 'cpu':
        return { cpu: process.cpuUsage() };
      case 'count':
        return { online: connector.rooms.users(roomOf(app, groupId)), sessions: connector.rooms.sessions(roomOf(app, groupId))?.size ?? 0, memory: process.memoryUsage() };
      case 'send': {
        const t = now();
        // Answered before the loop runs, as send_group_msg answers before its fan-out: otherwise the
        // server would sit idle for an IPC round trip between bare messages.
        if (msg.mode === 'bare') return setImmediate(() => bare(msg.i, t)), { t };
        const body = { GroupId: groupId, Random: msg.i, MsgBody: text(`~~${msg.i}:${t}~~`) };
        const answer = await broker.call<{ MsgSeq: number }, object>('groups.sendMessage', { app, caller: admin, body });
        return { t, seq: answer.MsgSeq };
      }
    }
  };
  process.on('message', (msg: Request) => {
    handle(msg).then(
      (answer) => process.send?.({ type: `${msg.type}ed`, ...answer }),
      (err: Error) => process.send?.({ type: `${msg.type}ed`, error: err.message }),
    );
  });
  process.send?.({ type: 'ready', port: config.port, app });
  process.on('SIGTERM', () => void broker.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
