/**
 * The global mute on a two-node cluster (NATS, PostgreSQL, Redis; child processes): each node
 * caches senders' mutes, so a mute set through one node must reach the send checks of the other
 * through the `user.nospeaking.changed` broadcast, and so must its lifting.
 */
import { expect } from 'chai';
import { until } from '../e2e/ws-harness';
import { GatewayCluster } from '../support/gateway-cluster';

const NODES = ['n1', 'n2'];

describe('global mute on a two-node cluster', function () {
  this.timeout(90_000);
  const cluster = new GatewayCluster(NODES, 'mute');
  const rest = <T>(nodeID: string, command: string, body: object) => cluster.rest<T & { ErrorCode: number }>(nodeID, command, body);
  let random = 1;
  const send = (nodeID: string) => rest(nodeID, 'openim/sendmsg', { From_Account: 'mutea', To_Account: 'muteb', MsgRandom: random++, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'x' } }] });

  before(async () => {
    await cluster.start(['messages', 'accounts', 'connector']);
  });
  after(() => cluster.stop());

  it('refuses sends through every node soon after a mute set through another, and lets them through once lifted', async () => {
    expect((await rest('n1', 'im_open_login_svc/multiaccount_import', { Accounts: ['mutea', 'muteb'] })).ErrorCode).to.equal(0);
    // Every node reads, and caches, the sender's mutes.
    for (const nodeID of NODES) expect((await send(nodeID)).ErrorCode, `before the mute, through ${nodeID}`).to.equal(0);
    expect((await rest('n2', 'openconfigsvr/setnospeaking', { Set_Account: 'mutea', C2CmsgNospeakingTime: 600 })).ErrorCode).to.equal(0);
    await until('every node to refuse', async () => (await Promise.all(NODES.map(send))).every((a) => a.ErrorCode === 20012), 2_000);
    expect((await rest('n1', 'openconfigsvr/setnospeaking', { Set_Account: 'mutea', C2CmsgNospeakingTime: 0 })).ErrorCode).to.equal(0);
    await until('every node to accept', async () => (await Promise.all(NODES.map(send))).every((a) => a.ErrorCode === 0), 2_000);
  });
});
