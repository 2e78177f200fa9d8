/**
 * An AVChatRoom across a two-node cluster (NATS, PostgreSQL, Redis; child processes): viewers
 * with the real SDK on different nodes join one live room; a message reaches both through one
 * room push per gateway node, the online count is the sum of the nodes' rooms, and a viewer who
 * quit on one node gets nothing more. The online list (get_members) gathers both nodes' viewers.
 */
import { expect } from 'chai';
import type { ConnectorStats } from '../../services/connector/types';
import { receivedTexts, sdkLogin, type SdkClient } from '../support/sdk';
import { GatewayCluster } from '../support/gateway-cluster';
import { until } from './ws-harness';

const NODES = ['a1', 'a2'];
const G = 'group_open_http_svc';

describe('AVChatRoom on a two-node cluster', function () {
  this.timeout(90_000);
  const cluster = new GatewayCluster(NODES, 'av');
  const sdks: SdkClient[] = [];

  const sdk = (userId: string, nodeID: string) => sdkLogin(cluster.node(nodeID), userId, sdks);
  const rest = <T = { ErrorCode: number }>(nodeID: string, command: string, body: object) => cluster.rest<T>(nodeID, command, body);
  const texts = receivedTexts;
  const pushed = async () => Promise.all(NODES.map(async (nodeID) => (await cluster.client.call<ConnectorStats, object>('connector.stats', {}, { nodeID })).pushed));

  before(async () => {
    await cluster.start(['connector', 'presence', 'groups']);
  });

  after(async () => {
    await Promise.all(sdks.map((c) => c.destroy()));
    await cluster.stop();
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
    // A room's pushes leave in the order the group made them, one fan-out at a time: back in the
    // room, the viewer who quit gets a later message only after anything sent to it before.
    await v2.chat.joinGroup({ groupID });
    expect((await send('back on node two')).ErrorCode).to.equal(0);
    await until('the later message on the viewer who came back', () => texts(v2, groupID).includes('back on node two'), 10_000);
    expect(texts(v2, groupID)).to.not.include('only node one');
  });

  it('lists the viewers of both nodes from either node (get_members, check_members)', async () => {
    const created = await rest<{ ErrorCode: number; GroupId: string }>('a2', `${G}/create_group`, { Owner_Account: 'host', Type: 'AVChatRoom', Name: 'Listed' });
    const groupID = created.GroupId;
    const [w1, w2] = await Promise.all([sdk('watcher1', 'a1'), sdk('watcher2', 'a2')]);
    await w1.chat.joinGroup({ groupID });
    await w2.chat.joinGroup({ groupID });
    for (const nodeID of NODES) {
      const list = await rest<{ MemberList: { Member_Account: string }[]; NextTimestamp: number }>(nodeID, 'group_open_avchatroom_http_svc/get_members', { GroupId: groupID, Timestamp: 0 });
      expect(list.MemberList.map((m) => m.Member_Account)).to.deep.equal(['watcher2', 'watcher1']);
      expect(list.NextTimestamp).to.equal(0);
    }
    const check = await rest<{ Member_Account: string[] }>('a1', 'group_open_avchatroom_http_svc/check_members', { GroupId: groupID, Member_Account: ['watcher2', 'viewer9'] });
    expect(check.Member_Account).to.deep.equal(['watcher2']);
  });
});
