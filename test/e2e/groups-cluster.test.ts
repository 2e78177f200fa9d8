/**
 * A group whose members sit on the three nodes of a cluster (NATS, PostgreSQL, Redis presence;
 * child processes): one real SDK client and two bare frame clients per node. A message sent
 * through REST on any node, or from the SDK on one node, reaches every online member on every
 * node through one pushMany per node; member-change tips do too; a member who logged out is
 * no longer pushed.
 */
import { expect } from 'chai';
import type { ConnectorStats } from '../../services/connector/types';
import { createSdkClient, type SdkClient } from '../support/sdk';
import { GatewayCluster } from '../support/gateway-cluster';
import { FrameClient, until } from './ws-harness';

const NODES = ['g1', 'g2', 'g3'];
const G = 'group_open_http_svc';
/** The real SDK's user on each node, and two frame clients' users per node. */
const SDK_USERS: Record<string, string> = { g1: 'ann', g2: 'ben', g3: 'cat' };
const FRAME_USERS: Record<string, string[]> = { g1: ['f1', 'f2'], g2: ['f3', 'f4'], g3: ['f5', 'f6'] };

interface Msg {
  to: string;
  type: string;
  payload: { text?: string; operationType?: number; userIDList?: string[] };
}

describe('a group with members on three nodes', function () {
  this.timeout(90_000);
  const cluster = new GatewayCluster(NODES, 'grp');
  const { sdkAppId, sig } = cluster;
  /** By user id. */
  const sdks: Record<string, SdkClient> = {};
  const frames: Record<string, FrameClient> = {};
  let groupId: string;

  const rest = <T = { ErrorCode: number }>(nodeID: string, command: string, body: object) => cluster.rest<T>(nodeID, command, body);
  const nodeOf = (nodeID: string) => cluster.node(nodeID);
  const pushed = () => Promise.all(NODES.map(async (nodeID) => (await cluster.client.call<ConnectorStats, object>('connector.stats', {}, { nodeID })).pushed));
  const received = (c: SdkClient) =>
    c.events.log.filter((e) => e.name === c.TencentCloudChat.EVENT.MESSAGE_RECEIVED).flatMap((e) => e.data as Msg[]).filter((m) => m.to === groupId);
  const texts = (c: SdkClient) => received(c).filter((m) => m.payload.text !== undefined).map((m) => m.payload.text);
  /** Group pushes a frame client got: (Event 3) message texts, or (Event 4) stored tips. */
  const frameEvents = (f: FrameClient, event: number) =>
    f.pushes.flatMap((p) => (p.body.EventArray ?? []) as { Event: number; GroupMsgArray?: { MsgBody: { MsgContent: { Text?: string } }[] }[]; GroupTips?: unknown[] }[]).filter((e) => e.Event === event);
  const frameTexts = (f: FrameClient) => frameEvents(f, 3).flatMap((e) => e.GroupMsgArray ?? []).map((m) => m.MsgBody[0]?.MsgContent.Text);
  const everyoneGot = (text: string, except: string[] = []) =>
    until(`"${text}" on every node`, () =>
      Object.entries(sdks).every(([u, c]) => except.includes(u) || texts(c).includes(text)) && Object.entries(frames).every(([u, f]) => except.includes(u) || frameTexts(f).includes(text)), 15_000);

  before(async () => {
    await cluster.start(['connector', 'presence', 'groups']);
    const members = [...Object.values(SDK_USERS), ...Object.values(FRAME_USERS).flat()];
    expect((await rest('g1', 'im_open_login_svc/multiaccount_import', { Accounts: ['boss', 'dan', ...members] })).ErrorCode).to.equal(0);
    const created = await rest<{ ErrorCode: number; GroupId: string }>('g1', `${G}/create_group`, { Owner_Account: 'boss', Type: 'Public', Name: 'spread', MemberList: members.map((Member_Account) => ({ Member_Account })) });
    expect(created.ErrorCode).to.equal(0);
    groupId = created.GroupId;
    for (const nodeID of NODES) {
      const c = await createSdkClient({ sdkAppId, userId: SDK_USERS[nodeID], userSig: sig(SDK_USERS[nodeID]), proxyServer: nodeOf(nodeID).proxyServer });
      sdks[SDK_USERS[nodeID]] = c;
      await c.login();
      for (const user of FRAME_USERS[nodeID]) {
        const f = await FrameClient.open(nodeOf(nodeID));
        expect((await f.login(nodeOf(nodeID), user)).ErrorCode ?? 0).to.equal(0);
        frames[user] = f;
      }
    }
  });

  after(async () => {
    await Promise.all(Object.values(sdks).map((c) => c.destroy()));
    for (const f of Object.values(frames)) f.close();
    await cluster.stop();
  });

  it('delivers a message sent through REST on one node to the members on all three, three sockets per node', async () => {
    const before = await pushed();
    const sent = await rest<{ ErrorCode: number; MsgSeq: number }>('g2', `${G}/send_group_msg`, { GroupId: groupId, From_Account: 'boss', Random: 1, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hello, everyone' } }] });
    expect(sent.ErrorCode).to.equal(0);
    await everyoneGot('hello, everyone');
    const after = await pushed();
    expect(after.map((n, i) => n - before[i])).to.deep.equal([3, 3, 3]);
  });

  it('pushes the member-change tip of a new member to the members on every node', async () => {
    expect((await rest('g3', `${G}/add_group_member`, { GroupId: groupId, MemberList: [{ Member_Account: 'dan' }] })).ErrorCode).to.equal(0);
    for (const [user, c] of Object.entries(sdks)) {
      await until(`${user}'s tip`, () => received(c).some((m) => m.type === c.TencentCloudChat.TYPES.MSG_GRP_TIP && (m.payload.userIDList ?? []).includes('dan')), 15_000);
    }
    for (const f of Object.values(frames)) await until('the tip frame', () => JSON.stringify(frameEvents(f, 4)).includes('dan'), 15_000);
  });

  it('delivers a message sent from the SDK on one node to the members on the others', async () => {
    const ann = sdks.ann;
    const message = ann.chat.createTextMessage({ to: groupId, conversationType: ann.TencentCloudChat.TYPES.CONV_GROUP, payload: { text: 'from ann on g1' } });
    await ann.chat.sendMessage(message);
    // The sender's own device is pushed too (the SDK drops what it already holds).
    await everyoneGot('from ann on g1', ['ann']);
  });

  it('delivers a burst of concurrent sends through different nodes to the SDK on every node, each once and in order', async () => {
    const sends = Array.from({ length: 20 }, (_, i) =>
      rest<{ ErrorCode: number; MsgSeq: number }>(NODES[i % 3], `${G}/send_group_msg`, { GroupId: groupId, From_Account: 'boss', Random: 100 + i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `burst ${i}` } }] }));
    const answers = await Promise.all(sends);
    answers.forEach((a) => expect(a.ErrorCode).to.equal(0));
    const bySeq = answers.map((a, i) => ({ seq: a.MsgSeq, text: `burst ${i}` })).sort((a, b) => a.seq - b.seq).map((x) => x.text);
    for (let i = 0; i < 20; i++) await everyoneGot(`burst ${i}`);
    for (const c of Object.values(sdks)) expect(texts(c).filter((t) => t?.startsWith('burst '))).to.deep.equal(bySeq);
    for (const f of Object.values(frames)) expect(frameTexts(f).filter((t) => t?.startsWith('burst '))).to.deep.equal(bySeq);
  });

  it('lets the SDK take a merged push: several group messages in one frame', async () => {
    // The frame a group push carries, as a frame client on g2 received it, turned into two new messages.
    const [template] = frameEvents(frames.f3, 3);
    const event = (n: number) => {
      const item = JSON.parse(JSON.stringify(template.GroupMsgArray![0])) as Record<string, unknown> & { MsgBody: { MsgContent: { Text?: string } }[] };
      item.MsgSeq = 9000 + n;
      item.MsgRandom = 9000 + n;
      item.MsgBody[0].MsgContent.Text = `merged ${n}`;
      return { ...template, GroupMsgArray: [item] };
    };
    const sent = await cluster.client.call<number, object>('connector.pushMany', { app: sdkAppId, userIds: ['ben'], servcmd: 'im_open_push.msg_push', body: { EventArray: [event(1), event(2)] } }, { nodeID: 'g2' });
    expect(sent).to.equal(1);
    await until('both merged messages at ben', () => ['merged 1', 'merged 2'].every((t) => texts(sdks.ben).includes(t)));
  });

  it('stops pushing to a member who logged out, and only to them', async () => {
    await sdks.cat.logout();
    await until('cat offline', async () => {
      const status = await rest<{ QueryResult: { Status: string }[] }>('g1', 'openim/query_online_status', { To_Account: ['cat'] });
      return status.QueryResult[0]?.Status === 'Offline';
    });
    const catBefore = texts(sdks.cat).length;
    const before = await pushed();
    expect((await rest('g1', `${G}/send_group_msg`, { GroupId: groupId, From_Account: 'boss', Random: 2, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'cat has gone' } }] })).ErrorCode).to.equal(0);
    await everyoneGot('cat has gone', ['cat']);
    const after = await pushed();
    expect(after.map((n, i) => n - before[i])).to.deep.equal([3, 3, 2]);
    expect(texts(sdks.cat)).to.have.length(catBefore);
  });
});
