/**
 * Roaming retention: history hides messages older than the app's roamingDays, and the sweep
 * erases their content while every message keeps its place in the conversation.
 */
import { expect } from 'chai';
import { conversationStream, MESSAGE_SENT, type MessageSentData } from '../../actors/c2c';
import { groupStream, MESSAGE_SENT as GROUP_MESSAGE_SENT, type MessageSentData as GroupMessageData } from '../../actors/group';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { RestClient, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);
const DAY = 86_400;

describe('REST message retention (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const roam = () => rest.call('openim/admin_getroammsg', { Operator_Account: 'dave', Peer_Account: 'erin', MaxCnt: 100, MinTime: 0, MaxTime: 4e9 });
  const stored = async () =>
    (await runtimeOf(server.broker).store.read(conversationStream(server.app.sdkAppId, 'dave', 'erin')))
      .filter((e) => e.type === MESSAGE_SENT)
      .map((e) => e.data as MessageSentData);

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'friends', 'groups', 'conversations'] });
    rest = new RestClient(server.baseUrl, server.app, (userId) => tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId }));
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['dave', 'erin'] });
    const now = Math.floor(Date.now() / 1000);
    for (const age of [8 * DAY, 6 * DAY]) {
      const answer = await rest.call('openim/importmsg', { SyncFromOldSystem: 2, From_Account: 'dave', To_Account: 'erin', MsgRandom: random(), MsgTimeStamp: now - age, MsgBody: text(`${age / DAY} days old`) });
      expect(answer.ErrorCode).to.equal(0);
    }
    await rest.call('openim/sendmsg', { From_Account: 'erin', To_Account: 'dave', MsgRandom: random(), MsgBody: text('today') });
  });
  after(() => server?.stop());

  it('leaves messages older than the 7-day default out of history', async () => {
    const bodies = ((await roam()).MsgList as { MsgBody: { MsgContent: { Text: string } }[] }[]).map((m) => m.MsgBody[0].MsgContent.Text);
    expect(bodies).to.deep.equal(['today', '6 days old']);
  });

  it('follows a shorter roaming period set for the app', async () => {
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { messages: { roamingDays: 1 } } });
    await new Promise((r) => setTimeout(r, 100));
    expect(((await roam()).MsgList as unknown[]).length).to.equal(1);
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { messages: { roamingDays: 7 } } });
    await new Promise((r) => setTimeout(r, 100));
  });

  it('erases the content of expired messages but keeps their places, and sending goes on', async () => {
    const result = await server.broker.call<{ purged: number }, object>('messages.purgeExpired', { app: server.app.sdkAppId, beforeMs: Date.now() + 1000 });
    expect(result.purged).to.equal(3);
    const messages = await stored();
    expect(messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
    expect(messages.every((m) => m.body === '[]' && m.cloudCustomData === '')).to.equal(true);
    const again = await server.broker.call<{ purged: number }, object>('messages.purgeExpired', { app: server.app.sdkAppId, beforeMs: Date.now() });
    expect(again.purged).to.equal(0);
    const next = await rest.call('openim/sendmsg', { From_Account: 'dave', To_Account: 'erin', MsgRandom: random(), MsgBody: text('after the sweep') });
    expect(String(next.MsgKey).split('_')[0]).to.equal('4');
  });
  it('stops offline delivery of a message after its MsgLifeTime, keeping it in history', async () => {
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['fay', 'gil'] });
    const short = await rest.call('openim/sendmsg', { From_Account: 'fay', To_Account: 'gil', MsgRandom: random(), MsgLifeTime: 1, MsgBody: text('brief') });
    const long = await rest.call('openim/sendmsg', { From_Account: 'fay', To_Account: 'gil', MsgRandom: random(), MsgBody: text('lasting') });
    expect([short.ErrorCode, long.ErrorCode]).to.deep.equal([0, 0]);
    await new Promise((r) => setTimeout(r, 2100));
    const sync = await server.broker.call<{ MsgList: { MsgKey: string }[] }, object>('inboxes.sync', { app: server.app.sdkAppId, caller: { kind: 'user', id: 'gil' }, body: { Cookie: '' } });
    expect(sync.MsgList.map((m) => m.MsgKey)).to.deep.equal([long.MsgKey]);
    const history = await rest.call('openim/admin_getroammsg', { Operator_Account: 'gil', Peer_Account: 'fay', MaxCnt: 10, MinTime: 0, MaxTime: 4e9 });
    expect((history.MsgList as { MsgKey: string }[]).map((m) => m.MsgKey)).to.include(short.MsgKey);
  });
  describe('group messages', () => {
    let groupId: string;
    const texts = async () =>
      ((await rest.call('group_open_http_svc/group_msg_get_simple', { GroupId: groupId, ReqMsgNumber: 20 })).RspMsgList as { MsgBody: { MsgContent: { Text: string } }[] }[]).map((m) => m.MsgBody[0].MsgContent.Text);
    const storedInGroup = async () =>
      (await runtimeOf(server.broker).store.read(groupStream(server.app.sdkAppId, groupId)))
        .filter((e) => e.type === GROUP_MESSAGE_SENT)
        .map((e) => e.data as GroupMessageData);

    before(async () => {
      const now = Math.floor(Date.now() / 1000);
      const created = await rest.call('group_open_http_svc/import_group', { Owner_Account: 'dave', Type: 'Public', Name: 'old times', CreateTime: now - 10 * DAY });
      expect(created.ErrorCode).to.equal(0);
      groupId = created.GroupId as string;
      const MsgList = [8, 6].map((age, i) => ({ From_Account: 'dave', SendTime: now - age * DAY, Random: i + 1, MsgBody: text(`group ${age} days old`) }));
      expect((await rest.call('group_open_http_svc/import_group_msg', { GroupId: groupId, MsgList })).ErrorCode).to.equal(0);
      expect((await rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'dave', Random: random(), MsgBody: text('group today') })).ErrorCode).to.equal(0);
    });

    it('leaves group messages older than the roaming period out of the group’s history', async () => {
      expect(await texts()).to.deep.equal(['group today', 'group 6 days old']);
      await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { messages: { roamingDays: 1 } } });
      try {
        await new Promise((r) => setTimeout(r, 100));
        expect(await texts()).to.deep.equal(['group today']);
      } finally {
        await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { messages: { roamingDays: 7 } } });
        await new Promise((r) => setTimeout(r, 100));
      }
    });

    it('erases the content of expired group messages but keeps their sequences, and the group goes on', async () => {
      // The sweep goes by when a message was stored (as for one-to-one messages): all three here.
      const result = await server.broker.call<{ purged: number }, object>('messages.purgeExpired', { app: server.app.sdkAppId, beforeMs: Date.now() + 1000 });
      expect(result.purged).to.be.at.least(3);
      const messages = await storedInGroup();
      expect(messages.map((m) => m.seq)).to.deep.equal([1, 2, 3]);
      expect(messages.every((m) => m.body === '[]' && m.cloudCustomData === '' && m.fromNick === '' && m.nameCard === '')).to.equal(true);
      const again = await server.broker.call<{ purged: number }, object>('messages.purgeExpired', { app: server.app.sdkAppId, beforeMs: Date.now() });
      expect(again.purged).to.equal(0);
      const next = await rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'dave', Random: random(), MsgBody: text('after the sweep') });
      expect(next.MsgSeq).to.equal(4);
    });
  });
});
