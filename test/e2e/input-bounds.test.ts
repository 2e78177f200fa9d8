/**
 * Input bounds at the REST face: OfflinePushInfo and other free-form message fields, JSON
 * nesting, and UserSigs issued in the future. Each is refused with a Tencent code, never an
 * internal error, and nothing is stored.
 */
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const random = () => Math.floor(Math.random() * 0xffffffff);
const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const refused = (a: Answer, code: number) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'FAIL', ErrorCode: code });

describe('REST input bounds (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  let groupId: string;

  const sendmsg = (extra: object) => rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: random(), MsgBody: text('hi'), ...extra });
  const groupMsg = (extra: object) => rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'alice', Random: random(), MsgBody: text('hi'), ...extra });
  const roamCount = async () => ((await rest.call('openim/admin_getroammsg', { Operator_Account: 'alice', Peer_Account: 'bob', MaxCnt: 100, MinTime: 0, MaxTime: 4_000_000_000 })).MsgList as unknown[]).length;

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends', 'groups'] });
    rest = adminRest(server);
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] }));
    const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'bounds', MemberList: [{ Member_Account: 'bob' }] });
    ok(created);
    groupId = created.GroupId as string;
  });
  after(() => server?.stop());

  describe('OfflinePushInfo', () => {
    const push = { PushFlag: 0, Title: 'New message', Desc: 'alice: hi', Ext: '{"to":"chat"}', AndroidInfo: { Sound: 'a.mp3', OPPOChannelID: 'c' }, ApnsInfo: { Sound: 'a.caf', BadgeMode: 1, InterruptionLevel: 'active' } };

    it('accepts a push within the limits, fields Tencent adds later included', async () => {
      ok(await sendmsg({ OfflinePushInfo: push }));
      ok(await groupMsg({ OfflinePushInfo: push }));
    });

    it('refuses a 100 KB Ext on sendmsg with 90001 and stores nothing', async () => {
      const before = await roamCount();
      refused(await sendmsg({ OfflinePushInfo: { ...push, Ext: 'x'.repeat(100_000) } }), 90001);
      expect(await roamCount()).to.equal(before);
    });

    it('refuses Desc and Ext over 3 KB together, and a push over 4 KB as JSON', async () => {
      refused(await sendmsg({ OfflinePushInfo: { Desc: 'd'.repeat(2000), Ext: 'e'.repeat(1100) } }), 90001);
      ok(await sendmsg({ OfflinePushInfo: { Desc: 'd'.repeat(2000), Ext: 'e'.repeat(1000) } }));
      refused(await sendmsg({ OfflinePushInfo: { Title: 't'.repeat(4100) } }), 90001);
      refused(await sendmsg({ OfflinePushInfo: { ApnsInfo: { Image: 'i'.repeat(4100) } } }), 90001);
    });

    it('counts bytes, not characters', async () => {
      refused(await sendmsg({ OfflinePushInfo: { Desc: '你'.repeat(1100) } }), 90001);
    });

    it('refuses a PushFlag other than 0 or 1 and a Desc that is not a string', async () => {
      refused(await sendmsg({ OfflinePushInfo: { PushFlag: 7 } }), 90001);
      refused(await sendmsg({ OfflinePushInfo: { Desc: ['a'] } }), 90001);
    });

    it('refuses an oversized push on batchsendmsg with 90001', async () => {
      refused(await rest.call('openim/batchsendmsg', { From_Account: 'alice', To_Account: ['bob', 'carol'], MsgRandom: random(), MsgBody: text('hi'), OfflinePushInfo: { Ext: 'x'.repeat(100_000) } }), 90001);
    });

    it('refuses an oversized push on send_group_msg with 10004', async () => {
      refused(await groupMsg({ OfflinePushInfo: { Ext: 'x'.repeat(100_000) } }), 10004);
    });
  });

  describe('other free-form message fields', () => {
    it('refuses CloudCustomData past 12 KB even where no MsgBody comes with it (modify_c2c_msg)', async () => {
      const sent = await sendmsg({});
      ok(sent);
      const modify = (CloudCustomData: string) => rest.call('openim/modify_c2c_msg', { From_Account: 'alice', To_Account: 'bob', MsgKey: sent.MsgKey, CloudCustomData });
      refused(await modify('c'.repeat(50_000)), 90001);
      ok(await modify('small'));
    });

    it('refuses long or many ForbidCallbackControl and SendMsgControl entries', async () => {
      refused(await sendmsg({ ForbidCallbackControl: ['x'.repeat(100_000)] }), 90001);
      refused(await groupMsg({ SendMsgControl: Array.from({ length: 1000 }, () => 'NoUnread') }), 10004);
    });

    it('refuses an @ of a member ID longer than any account, and a TopicId past 96 bytes', async () => {
      refused(await groupMsg({ GroupAtInfo: [{ GroupAtAllFlag: 0, GroupAt_Account: 'x'.repeat(100_000) }] }), 10004);
      refused(await groupMsg({ TopicId: 't'.repeat(97) }), 10004);
    });
  });

  describe('JSON nesting', () => {
    it('refuses a body nested 5,000 deep with 60003, not an internal error', async () => {
      const deep = `{"CheckItem":${'['.repeat(5000)}${']'.repeat(5000)}}`;
      refused(await rest.call('im_open_login_svc/account_check', deep), 60003);
    });

    it('refuses a message body nested past 64 levels with 60003', async () => {
      const body = `{"From_Account":"alice","To_Account":"bob","MsgRandom":1,"MsgBody":[{"MsgType":"TIMCustomElem","MsgContent":${'{"a":'.repeat(70)}1${'}'.repeat(70)}}]}`;
      refused(await rest.call('openim/sendmsg', body), 60003);
    });
  });

  describe('UserSig issue time', () => {
    const now = () => Math.floor(Date.now() / 1000);
    const asAdmin = (sigNow: number) => ({ usersig: tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId: server.app.admin, now: sigNow }) });
    const check = (sigNow: number) => rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'alice' }] }, asAdmin(sigNow));

    it('refuses a UserSig issued 20 years in the future with 70001', async () => {
      refused(await check(now() + 20 * 365 * 86400), 70001);
    });

    it('refuses a UserSig issued more than 5 minutes ahead, and accepts one within a minute of skew', async () => {
      refused(await check(now() + 600), 70001);
      ok(await check(now() + 60));
    });
  });
});
