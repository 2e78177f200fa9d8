/**
 * The WebSocket gateway on a three-node cluster (NATS, PostgreSQL, Redis; child processes):
 * two users on different nodes, status seen through REST on a third, delivery through the
 * presence directory to exactly the node that holds the device, and kicks across nodes.
 */
import { expect } from 'chai';
import { sendToUsers } from '../../services/connector/delivery';
import type { ConnectorStats } from '../../services/connector/types';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { GatewayCluster } from '../support/gateway-cluster';
import { until } from './ws-harness';

/** A one-to-one message from alice to bob as a push carries it (im_open_push.msg_push, Event 1). */
const pushed = (seq: number, random: number, text: string) => ({
  From_Account: 'alice',
  To_Account: 'bob',
  MsgSeq: seq,
  MsgRandom: random,
  MsgTimeStamp: Math.floor(Date.now() / 1000),
  MsgClientTime: Math.floor(Date.now() / 1000),
  TinyId: '144115188075855999',
  MsgKey: `${seq}_${random}_1`,
  MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }],
  CloudCustomData: '',
  From_AccountNick: '',
  From_AccountHeadurl: '',
  IsNeedReadReceipt: 0,
});

describe('WebSocket gateway on a three-node cluster', function () {
  this.timeout(90_000);
  const cluster = new GatewayCluster(['n1', 'n2', 'n3'], 'ws');
  const { sdkAppId } = cluster;
  const sdks: SdkClient[] = [];
  const sdk = (userId: string, nodeID: string) => sdkLogin(cluster.node(nodeID), userId, sdks);
  const rest = <T>(nodeID: string, command: string, body: object) => cluster.rest<T>(nodeID, command, body);
  const stats = (nodeID: string) => cluster.client.call<ConnectorStats, object>('connector.stats', {}, { nodeID });
  const status = async (nodeID: string, ids: string[]) =>
    (await rest<{ QueryResult: { To_Account: string; Status: string }[] }>(nodeID, 'openim/query_online_status', { To_Account: ids })).QueryResult.map(
      (r) => `${r.To_Account}:${r.Status}`,
    );

  before(() => cluster.start(['connector', 'presence']));

  after(async () => {
    await Promise.all(sdks.map((c) => c.destroy()));
    await cluster.stop();
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
    const message = pushed(1, 4242, 'across nodes');
    const result = await cluster.client.call<{ nodes: number; devices: number }, object>(
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

  it('sends a one-way push (an event, no answer) to exactly the node that holds the device', async () => {
    const bob = sdks[1];
    const before = await Promise.all(['n1', 'n2', 'n3'].map(stats));
    const message = pushed(2, 4243, 'one way');
    const received = bob.events.waitFor(bob.TencentCloudChat.EVENT.MESSAGE_RECEIVED) as Promise<{ payload: { text: string } }[]>;
    const nodes = await sendToUsers(cluster.client, sdkAppId, [{ userId: 'bob' }], 'im_open_push.msg_push', { EventArray: [{ Event: 1, C2cMsgArray: [message] }] });
    expect(nodes).to.equal(1);
    expect((await received)[0].payload.text).to.equal('one way');
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

  it('pushes from a node that had carol as offline to the node she logs in on, as soon as her login is answered', async () => {
    const deliver = (text: string, seq: number) =>
      cluster.client.call<{ nodes: number; devices: number }, object>(
        'connector.deliver',
        { app: sdkAppId, userId: 'carol', servcmd: 'im_open_push.msg_push', body: { EventArray: [{ Event: 1, C2cMsgArray: [{ ...pushed(seq, 5000 + seq, text), To_Account: 'carol' }] }] } },
        { nodeID: 'n3' },
      );
    // n3 looks carol up once (nobody) and keeps that in its placement cache…
    expect(await deliver('before login', 1)).to.deep.equal({ nodes: 0, devices: 0 });
    expect(await deliver('before login', 1)).to.deep.equal({ nodes: 0, devices: 0 });
    // …until her login on n2, which is answered only once every node forgot her.
    const carol = await sdk('carol', 'n2');
    const received = carol.events.waitFor(carol.TencentCloudChat.EVENT.MESSAGE_RECEIVED) as Promise<{ payload: { text: string } }[]>;
    expect(await deliver('right after login', 2)).to.deep.equal({ nodes: 1, devices: 1 });
    expect((await received)[0].payload.text).to.equal('right after login');
    // A logout is announced without waiting: n3 stops finding her shortly after.
    await carol.logout();
    await until('carol forgotten on n3', async () => (await deliver('after logout', 3)).nodes === 0);
  });

  it('disconnects a user kicked through REST on another node', async () => {
    const alice = sdks[0];
    expect((await rest<{ ErrorCode: number }>('n2', 'im_open_login_svc/kick', { UserID: 'alice' })).ErrorCode).to.equal(0);
    const kicked = (await alice.events.waitFor(alice.TencentCloudChat.EVENT.KICKED_OUT)) as { type: string };
    expect(kicked.type).to.equal(alice.TencentCloudChat.TYPES.KICKED_OUT_REST_API);
    await until('alice offline', async () => (await status('n3', ['alice']))[0] === 'alice:Offline');
  });
});
