/**
 * An AVChatRoom across a two-node cluster (NATS, PostgreSQL, Redis; child processes): viewers
 * with the real SDK on different nodes join one live room; a message reaches both through one
 * room push per gateway node, the online count is the sum of the nodes' rooms, and a viewer who
 * quit on one node gets nothing more.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { expect } from 'chai';
import { ServiceBroker } from 'moleculer';
import { genUserSig } from '../../services/auth/usersig';
import type { ConnectorStats } from '../../services/connector.service';
import { createSdkClient, type SdkClient } from '../support/sdk';
import { dropSchema, NATS_URL, PG_URL, REDIS_URL, tempDir, uniqueSchema } from '../support/stores';
import { freePort, SECRET, until } from './ws-harness';

const NODE_SCRIPT = path.join(__dirname, '../support/parley-node.ts');
const NODES = ['a1', 'a2'];
const G = 'group_open_http_svc';

interface Msg {
  to: string;
  payload: { text?: string };
}

describe('AVChatRoom on a two-node cluster', function () {
  this.timeout(90_000);
  const namespace = uniqueSchema('ns');
  const schema = uniqueSchema('av');
  // A fresh app id per run: the presence directory in Redis outlives test runs.
  const sdkAppId = 1500000000 + Math.floor(Math.random() * 99_999_999);
  const children: ChildProcess[] = [];
  const ports: Record<string, number> = {};
  const sdks: SdkClient[] = [];
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
        PARLEY_DATA: tempDir('parley-av-cluster-'),
        PARLEY_SDKAPPID: String(sdkAppId),
        PARLEY_SECRET: SECRET,
        PARLEY_HEARTBEAT_SEC: '1',
        PARLEY_HEARTBEAT_TIMEOUT_SEC: '3',
        PARLEY_LOG_LEVEL: 'warn',
      },
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`node ${nodeID} exited with ${code}`)));
    });
  };
  const sig = (id: string) => genUserSig({ sdkAppId, secretKey: SECRET, identifier: id, expireSeconds: 3600 });
  const sdk = async (userId: string, nodeID: string) => {
    const c = await createSdkClient({ sdkAppId, userId, userSig: sig(userId), proxyServer: `ws://127.0.0.1:${ports[nodeID]}` });
    sdks.push(c);
    await c.login();
    return c;
  };
  const rest = async <T>(nodeID: string, command: string, body: object): Promise<T> => {
    const url = `http://127.0.0.1:${ports[nodeID]}/v4/${command}?sdkappid=${sdkAppId}&identifier=administrator&usersig=${sig('administrator')}&random=1&contenttype=json`;
    return (await (await fetch(url, { method: 'POST', body: JSON.stringify(body) })).json()) as T;
  };
  const texts = (c: SdkClient, groupID: string) =>
    c.events.log
      .filter((e) => e.name === c.TencentCloudChat.EVENT.MESSAGE_RECEIVED)
      .flatMap((e) => e.data as Msg[])
      .filter((m) => m.to === groupID && m.payload.text !== undefined)
      .map((m) => m.payload.text);
  const pushed = async () => Promise.all(NODES.map(async (nodeID) => (await client.call<ConnectorStats, object>('connector.stats', {}, { nodeID })).pushed));

  before(async () => {
    await Promise.all(NODES.map(start));
    client = new ServiceBroker({ namespace, nodeID: `av-client-${process.pid}`, transporter: NATS_URL, logger: false, heartbeatInterval: 1, heartbeatTimeout: 3 });
    await client.start();
    await client.waitForServices(['connector', 'presence', 'groups'], 15_000);
    // Each node must know the other's connector, or its room pushes skip it.
    await until(
      'every node to see both connectors',
      async () => {
        const lists = await Promise.all(NODES.map((nodeID) => client.call<{ name: string; nodes?: string[] }[], object>('$node.services', { onlyAvailable: true }, { nodeID })));
        return lists.every((list) => (list.find((svc) => svc.name === 'connector')?.nodes?.length ?? 0) === NODES.length);
      },
      15_000,
    );
  });

  after(async () => {
    await Promise.all(sdks.map((c) => c.destroy()));
    for (const child of children) child.kill('SIGKILL');
    await client?.stop();
    await dropSchema(schema);
  });

  it('delivers to viewers on both nodes, counts them together, and stops for the one who quit', async () => {
    await rest('a1', 'im_open_login_svc/account_import', { UserID: 'host' });
    const created = await rest<{ ErrorCode: number; GroupId: string }>('a1', `${G}/create_group`, { Owner_Account: 'host', Type: 'AVChatRoom', Name: 'Live' });
    expect(created.ErrorCode).to.equal(0);
    const groupID = created.GroupId;
    const [v1, v2] = await Promise.all([sdk('viewer1', 'a1'), sdk('viewer2', 'a2')]);
    await Promise.all([v1.chat.joinGroup({ groupID }), v2.chat.joinGroup({ groupID })]);
    expect((await rest<{ OnlineMemberNum: number }>('a2', `${G}/get_online_member_num`, { GroupId: groupID })).OnlineMemberNum).to.equal(2);

    const before = await pushed();
    const send = (words: string) => rest<{ ErrorCode: number }>('a2', `${G}/send_group_msg`, { GroupId: groupID, Random: Math.floor(Math.random() * 1e9), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: words } }] });
    expect((await send('to both nodes')).ErrorCode).to.equal(0);
    await until('the message on both nodes', () => texts(v1, groupID).includes('to both nodes') && texts(v2, groupID).includes('to both nodes'), 10_000);
    const after = await pushed();
    expect(after.map((n, i) => n - before[i])).to.deep.equal([1, 1]);

    await v2.chat.quitGroup(groupID);
    expect((await rest<{ OnlineMemberNum: number }>('a1', `${G}/get_online_member_num`, { GroupId: groupID })).OnlineMemberNum).to.equal(1);
    expect((await send('only node one')).ErrorCode).to.equal(0);
    await until('the message on the viewer still in the room', () => texts(v1, groupID).includes('only node one'), 10_000);
    await new Promise((r) => setTimeout(r, 200));
    expect(texts(v2, groupID)).to.not.include('only node one');
  });
});
