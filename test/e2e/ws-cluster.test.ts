/**
 * The WebSocket gateway on a three-node cluster (NATS, PostgreSQL, Redis; child processes):
 * two users on different nodes, status seen through REST on a third, delivery through the
 * presence directory to exactly the node that holds the device, and kicks across nodes.
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

describe('WebSocket gateway on a three-node cluster', function () {
  this.timeout(90_000);
  const namespace = uniqueSchema('ns');
  const schema = uniqueSchema('ws');
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
        PARLEY_DATA: tempDir('parley-ws-cluster-'),
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
  const stats = (nodeID: string) => client.call<ConnectorStats, object>('connector.stats', {}, { nodeID });
  const status = async (nodeID: string, ids: string[]) =>
    (await rest<{ QueryResult: { To_Account: string; Status: string }[] }>(nodeID, 'openim/query_online_status', { To_Account: ids })).QueryResult.map(
      (r) => `${r.To_Account}:${r.Status}`,
    );

  before(async () => {
    await Promise.all(['n1', 'n2', 'n3'].map(start));
    client = new ServiceBroker({ namespace, nodeID: `ws-client-${process.pid}`, transporter: NATS_URL, logger: false, heartbeatInterval: 1, heartbeatTimeout: 3 });
    await client.start();
    await client.waitForServices(['connector', 'presence'], 15_000);
    await until('three connectors', () => client.registry.getServiceList({ onlyAvailable: true }).filter((s) => s.name === 'connector').length === 3, 15_000);
    // Each node must also know the others' connectors, or its deliveries and kicks to them fail.
    await until(
      'every node to see three connectors',
      async () => {
        const lists = await Promise.all(['n1', 'n2', 'n3'].map((nodeID) => client.call<{ name: string; nodes?: string[] }[], object>('$node.services', { onlyAvailable: true }, { nodeID })));
        return lists.every((list) => (list.find((svc) => svc.name === 'connector')?.nodes?.length ?? 0) === 3);
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

  it('logs in users on different nodes, and a third node reports both Online', async () => {
    await sdk('alice', 'n1');
    await sdk('bob', 'n2');
    expect(await status('n3', ['alice', 'bob'])).to.deep.equal(['alice:Online', 'bob:Online']);
    expect((await stats('n1')).loggedIn).to.equal(1);
    expect((await stats('n2')).loggedIn).to.equal(1);
    expect((await stats('n3')).loggedIn).to.equal(0);
  });

  it('delivers to a user through the node that holds the device, and only that node', async () => {
    const bob = sdks[1];
    const before = await Promise.all(['n1', 'n2', 'n3'].map(stats));
    const message = {
      From_Account: 'alice',
      To_Account: 'bob',
      MsgSeq: 1,
      MsgRandom: 4242,
      MsgTimeStamp: Math.floor(Date.now() / 1000),
      MsgClientTime: Math.floor(Date.now() / 1000),
      TinyId: '144115188075855999',
      MsgKey: '1_4242_1',
      MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'across nodes' } }],
      CloudCustomData: '',
      From_AccountNick: '',
      From_AccountHeadurl: '',
      IsNeedReadReceipt: 0,
    };
    const result = await client.call<{ nodes: number; devices: number }, object>(
      'connector.deliver',
      { app: sdkAppId, userId: 'bob', servcmd: 'im_open_push.msg_push', body: { EventArray: [{ Event: 1, C2cMsgArray: [message] }] } },
      { nodeID: 'n3' },
    );
    expect(result).to.deep.equal({ nodes: 1, devices: 1 });
    const received = (await bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_RECEIVED)) as { payload: { text: string } }[];
    expect(received[0].payload.text).to.equal('across nodes');
    const after = await Promise.all(['n1', 'n2', 'n3'].map(stats));
    expect(after.map((s, i) => s.pushed - before[i].pushed)).to.deep.equal([0, 1, 0]);
  });

  it('kicks a device on another node when the same user logs in again under the policy', async () => {
    const firstBob = sdks[1];
    await sdk('bob', 'n3');
    const kicked = (await firstBob.events.waitFor(firstBob.TencentCloudChat.EVENT.KICKED_OUT)) as { type: string };
    expect(kicked.type).to.equal(firstBob.TencentCloudChat.TYPES.KICKED_OUT_MULT_ACCOUNT);
    expect((await stats('n2')).loggedIn).to.equal(0);
    expect((await stats('n3')).loggedIn).to.equal(1);
  });

  it('disconnects a user kicked through REST on another node', async () => {
    const alice = sdks[0];
    expect((await rest<{ ErrorCode: number }>('n2', 'im_open_login_svc/kick', { UserID: 'alice' })).ErrorCode).to.equal(0);
    const kicked = (await alice.events.waitFor(alice.TencentCloudChat.EVENT.KICKED_OUT)) as { type: string };
    expect(kicked.type).to.equal(alice.TencentCloudChat.TYPES.KICKED_OUT_REST_API);
    await until('alice offline', async () => (await status('n3', ['alice']))[0] === 'alice:Offline');
  });
});
