/**
 * One-to-one messages on a three-node cluster (NATS, PostgreSQL, Redis; child processes):
 * many sends through REST to one pair while the node that owns the pair's conversation is
 * SIGKILLed. Afterwards every acknowledged message is in the history, the conversation's
 * sequence has no gap, and a device's getmsg sync from its cookie returns each stored message
 * exactly once.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { ServiceBroker } from 'moleculer';
import { conversationKey } from '../../actors/c2c';
import { routerOf } from '../../services/actors/router';
import { genUserSig } from '../../services/auth/usersig';
import { FrameClient, freePort, SECRET, until, type Parley } from '../e2e/ws-harness';
import { dropSchema, NATS_URL, PG_URL, REDIS_URL, tempDir, uniqueSchema } from '../support/stores';

const NODE_SCRIPT = path.join(__dirname, '../support/parley-node.ts');
const NODES = ['n1', 'n2', 'n3'];

interface RoamPage {
  ErrorCode: number;
  Complete: number;
  LastMsgKey: string;
  MsgList: { MsgKey: string; MsgTimeStamp: number }[];
}

describe('one-to-one messages on a three-node cluster', function () {
  this.timeout(120_000);
  const namespace = uniqueSchema('ns');
  const schema = uniqueSchema('msg');
  const sdkAppId = 1500000000 + Math.floor(Math.random() * 99_999_999);
  const children = new Map<string, ChildProcess>();
  const ports: Record<string, number> = {};
  let client: ServiceBroker;

  const start = async (nodeID: string) => {
    ports[nodeID] = await freePort();
    const child = fork(NODE_SCRIPT, [], {
      execArgv: ['--require', 'tsx/cjs'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        PARLEY_NODE_ID: nodeID,
        PARLEY_NAMESPACE: namespace,
        PARLEY_TRANSPORTER: NATS_URL,
        PARLEY_DB: PG_URL,
        PARLEY_DB_SCHEMA: schema,
        PARLEY_REDIS: REDIS_URL,
        PARLEY_PORT: String(ports[nodeID]),
        PARLEY_DATA: tempDir('parley-msg-cluster-'),
        PARLEY_SDKAPPID: String(sdkAppId),
        PARLEY_SECRET: SECRET,
        PARLEY_HEARTBEAT_SEC: '1',
        PARLEY_HEARTBEAT_TIMEOUT_SEC: '3',
        PARLEY_LOG_LEVEL: 'error',
      },
    });
    children.set(nodeID, child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`node ${nodeID} exited with ${code}`)));
    });
  };
  const sig = (id: string) => genUserSig({ sdkAppId, secretKey: SECRET, identifier: id, expireSeconds: 3600 });
  const rest = async <T>(nodeID: string, command: string, body: object): Promise<T> => {
    const url = `http://127.0.0.1:${ports[nodeID]}/v4/${command}?sdkappid=${sdkAppId}&identifier=administrator&usersig=${sig('administrator')}&random=${Math.floor(Math.random() * 1e9)}&contenttype=json`;
    return (await (await fetch(url, { method: 'POST', body: JSON.stringify(body), signal: AbortSignal.timeout(15_000) })).json()) as T;
  };
  /** The node as a harness Parley, for a raw frame client. */
  const parleyAt = (nodeID: string) => ({ sdkAppId, proxyServer: `ws://127.0.0.1:${ports[nodeID]}`, sig }) as unknown as Parley;

  before(async () => {
    await Promise.all(NODES.map(start));
    client = new ServiceBroker({ namespace, nodeID: `msg-client-${process.pid}`, transporter: NATS_URL, logger: false, heartbeatInterval: 1, heartbeatTimeout: 3 });
    await client.start();
    await until('three message hosts', () => client.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === 'messages').length === 3, 15_000);
    await until('three connectors', () => client.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === 'connector').length === 3, 15_000);
  });

  after(async () => {
    for (const child of children.values()) child.kill('SIGKILL');
    await client?.stop();
    await dropSchema(schema);
  });

  it('loses no acknowledged message and leaves no sequence gap when the conversation’s node is SIGKILLed mid-stream', async () => {
    // A pair whose conversation lives on n2; the sends enter through n1 and n3.
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      if (routerOf(client).ownerOf('messages', conversationKey(sdkAppId, `s${i}`, `r${i}`)) === 'n2') pair = [`s${i}`, `r${i}`];
    }
    const [sender, receiver] = pair;
    expect((await rest<{ ErrorCode: number }>('n1', 'im_open_login_svc/multiaccount_import', { Accounts: [sender, receiver] })).ErrorCode).to.equal(0);

    // The receiver's device, on n1: its cookie before the first message.
    const device = await FrameClient.open(parleyAt('n1'));
    try {
      expect((await device.login(parleyAt('n1'), receiver)).ErrorCode).to.equal(0);
      const first = await device.request('openim.getmsg', { Cookie: '', SyncFlag: 0 });
      const cookie = String(first.Cookie);

      const acked: string[] = [];
      let failed = 0;
      let stop = false;
      const worker = async (w: number) => {
        for (let n = 0; !stop; n++) {
          const entry = (w + n) % 2 === 0 ? 'n1' : 'n3';
          const body = { From_Account: sender, To_Account: receiver, MsgRandom: w * 1_000_000 + n, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `w${w} n${n}` } }] };
          const answer = await rest<{ ErrorCode: number; MsgKey: string }>(entry, 'openim/sendmsg', body).catch(() => undefined);
          if (answer?.ErrorCode === 0) acked.push(answer.MsgKey);
          else failed++;
        }
      };
      const workers = [0, 1, 2, 3, 4, 5].map(worker);
      await until('some messages before the kill', () => acked.length >= 30, 15_000);
      const beforeKill = acked.length;
      const onVictim = await client.call<{ keys: string[] }, object>('messages.activations', {}, { nodeID: 'n2' });
      expect(onVictim.keys, 'the conversation is active on n2').to.include(conversationKey(sdkAppId, sender, receiver));
      children.get('n2')!.kill('SIGKILL');
      children.delete('n2');
      await until('the survivors took over', () => acked.length >= beforeKill + 60, 40_000);
      stop = true;
      await Promise.all(workers);

      // Every acknowledged message is in the history, read through a survivor.
      const stored: string[] = [];
      let lastKey: string | undefined;
      for (;;) {
        const page = await rest<RoamPage>('n3', 'openim/admin_getroammsg', {
          Operator_Account: receiver, Peer_Account: sender, MaxCnt: 100, MinTime: 0, MaxTime: 2 ** 31, ...(lastKey ? { LastMsgKey: lastKey } : {}),
        });
        expect(page.ErrorCode).to.equal(0);
        stored.push(...page.MsgList.map((m) => m.MsgKey));
        if (page.Complete === 1) break;
        lastKey = page.LastMsgKey;
      }
      const storedSet = new Set(stored);
      expect(acked.filter((k) => !storedSet.has(k)), 'acknowledged but not stored').to.deep.equal([]);

      // REST sends carry no client seq, so a MsgKey starts with the conversation's seq: 1..N, no gap.
      const seqs = stored.map((k) => Number(k.split('_')[0])).sort((a, b) => a - b);
      expect(seqs).to.deep.equal(Array.from({ length: seqs.length }, (_, i) => i + 1));

      // The device's sync from its cookie returns each stored message exactly once.
      const synced: string[] = [];
      for (let next = cookie, more = true; more; ) {
        const page = await device.request('openim.getmsg', { Cookie: next, SyncFlag: 1 });
        expect(page.ErrorCode ?? 0).to.equal(0);
        synced.push(...(page.MsgList as { MsgKey: string }[]).map((m) => m.MsgKey));
        next = String(page.Cookie);
        more = page.SyncFlag === 1;
      }
      expect([...synced].sort()).to.deep.equal([...stored].sort());
      console.log(`      ${acked.length} acknowledged, ${failed} failed during the failover, ${stored.length} stored`);
    } finally {
      device.close();
    }
  });
});
