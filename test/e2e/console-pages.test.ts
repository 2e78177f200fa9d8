/**
 * The console's accounts, groups, messages and settings resources (/console/api/…): each runs
 * the REST command an app backend would, as the signed-in administrator, so what the console
 * reads is what REST reads, a write is seen through REST, and a refusal carries the command's
 * own ErrorCode with nothing changed.
 */
import { expect } from 'chai';
import { adminCredentials, consoleCall, type CallOptions, type ConsoleAnswer } from '../support/console';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';

type Reply = ConsoleAnswer & Record<string, unknown>;

describe('console pages: accounts, groups, messages, settings (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const api = (method: string, path: string, options: CallOptions = {}) => consoleCall(server, method, { ...options, path: `/console/api/${path}` }) as Promise<Reply>;
  const send = async (from: string, to: string, text: string) => {
    const answer = await rest.call('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: Math.floor(Math.random() * 1e9), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: text } }] });
    expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
    return answer.MsgKey as string;
  };

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'profiles', 'groups', 'messages', 'inboxes', 'conversations', 'friends'] });
    rest = adminRest(server);
    const imported = await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] });
    expect(imported.ErrorCode, imported.ErrorInfo).to.equal(0);
    await rest.call('profile/portrait_set', { From_Account: 'alice', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Alice A.' }] });
  });
  after(() => server?.stop());

  describe('accounts', () => {
    it("shows an account's profile and status as account_check, portrait_get and query_online_status answer", async () => {
      const answer = await api('GET', 'account?id=alice');
      expect(answer.status, answer.raw).to.equal(200);
      const account = answer.Account as { Imported: boolean; Status: string; Devices: unknown[]; Profile: { Tag: string; Value: unknown }[] };
      expect(account).to.include({ UserID: 'alice', Imported: true, Status: 'Offline' });
      expect(account.Profile).to.deep.include({ Tag: 'Tag_Profile_IM_Nick', Value: 'Alice A.' });
      expect(account.Devices).to.deep.equal([]);
    });

    it('says an unknown account is not imported', async () => {
      const answer = await api('GET', 'account?id=nobody');
      expect(answer.Account).to.deep.equal({ UserID: 'nobody', Imported: false });
    });

    it("refuses an ID with wildcards with the command's own code", async () => {
      const answer = await api('GET', `account?id=${encodeURIComponent("a*' OR 1=1")}`);
      expect(answer.status).to.equal(422);
      expect(answer.ErrorCode).to.equal(70402);
    });

    it('refuses a search without an ID, or with two', async () => {
      for (const path of ['account', 'account?id=a&id=b']) expect([(await api('GET', path)).status, (await api('GET', path)).ErrorCode], path).to.deep.equal([400, 60002]);
    });

    it('deletes an account through account_delete: REST then finds it not imported', async () => {
      const answer = await api('POST', 'account/delete', { body: { UserID: 'carol' } });
      expect(answer.status, answer.raw).to.equal(200);
      const check = await rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'carol' }] });
      expect((check.ResultItem as { AccountStatus: string }[])[0].AccountStatus).to.equal('NotImported');
    });

    it('kicks an account through kick', async () => {
      const answer = await api('POST', 'account/kick', { body: { UserID: 'bob' } });
      expect(answer.status, answer.raw).to.equal(200);
    });

    it('refuses a write by cookie without the console header or from another origin (CSRF), changing nothing', async () => {
      const signIn = await fetch(`${server.baseUrl}/console/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Parley-Console': '1' }, body: JSON.stringify(adminCredentials(server)) });
      const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0];
      expect(cookie).to.match(/^parley_console=./);
      const write = (headers: Record<string, string>) =>
        fetch(`${server.baseUrl}/console/api/account/delete`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ UserID: 'alice' }) });
      expect((await write({})).status).to.equal(403);
      expect((await write({ 'X-Parley-Console': '1', Origin: 'https://evil.example' })).status).to.equal(403);
      expect((await api('GET', 'account?id=alice')).Account).to.include({ Imported: true });
    });
  });

  describe('groups', () => {
    let groupId: string;
    before(async () => {
      const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: 'Console club', MemberList: [{ Member_Account: 'bob' }] });
      expect(created.ErrorCode, created.ErrorInfo).to.equal(0);
      groupId = created.GroupId as string;
    });

    it("shows a group's profile and its members with their roles", async () => {
      const answer = await api('GET', `group?id=${encodeURIComponent(groupId)}`);
      expect(answer.status, answer.raw).to.equal(200);
      expect(answer.Group).to.include({ GroupId: groupId, Type: 'Public', Name: 'Console club', Owner_Account: 'alice' });
      const roles = Object.fromEntries((answer.Members as { Member_Account: string; Role: string }[]).map((m) => [m.Member_Account, m.Role]));
      expect(roles).to.deep.equal({ alice: 'Owner', bob: 'Member' });
    });

    it('disbands a group through destroy_group: REST then finds no such group', async () => {
      const answer = await api('POST', 'group/disband', { body: { GroupId: groupId } });
      expect(answer.status, answer.raw).to.equal(200);
      const info = await rest.call('group_open_http_svc/get_group_info', { GroupIdList: [groupId] });
      expect((info.GroupInfo as { ErrorCode: number }[])[0].ErrorCode).to.not.equal(0);
      const gone = await api('GET', `group?id=${encodeURIComponent(groupId)}`);
      expect([gone.status, gone.ErrorCode]).to.deep.equal([422, 10010]);
    });
  });

  describe('messages', () => {
    it("shows a conversation's history and recalls one message through admin_msgwithdraw", async () => {
      await send('alice', 'bob', 'first');
      const key = await send('bob', 'alice', 'second');
      const history = await api('GET', 'messages?account=alice&peer=bob');
      expect(history.status, history.raw).to.equal(200);
      const texts = (history.Messages as { MsgBody: { MsgContent: { Text: string } }[] }[]).map((m) => m.MsgBody[0].MsgContent.Text);
      expect(texts).to.have.members(['first', 'second']);
      const recalled = await api('POST', 'messages/recall', { body: { From_Account: 'bob', To_Account: 'alice', MsgKey: key } });
      expect(recalled.status, recalled.raw).to.equal(200);
      const after = await rest.call('openim/admin_getroammsg', { Operator_Account: 'alice', Peer_Account: 'bob', MaxCnt: 10, MinTime: 0, MaxTime: 2 ** 31 - 1 });
      const flags = (after.MsgList as { MsgKey: string; MsgFlagBits: number }[]).find((m) => m.MsgKey === key)?.MsgFlagBits;
      expect(flags).to.equal(1);
    });

    it('refuses a recall of a message that does not exist', async () => {
      const answer = await api('POST', 'messages/recall', { body: { From_Account: 'bob', To_Account: 'alice', MsgKey: '1_2_3' } });
      expect(answer.status).to.equal(422);
      expect(answer.ErrorCode).to.be.greaterThan(0);
    });
  });

  describe('settings', () => {
    it('shows every section the page edits, defaults filled in, without callback or push', async () => {
      const answer = await api('GET', 'settings');
      expect(answer.status, answer.raw).to.equal(200);
      const settings = answer.Settings as Record<string, Record<string, unknown>>;
      expect(Object.keys(settings)).to.deep.equal(['login', 'messages', 'groups', 'relations', 'media', 'rateLimits']);
      expect(settings.messages).to.deep.equal({ recallSeconds: 120, roamingDays: 7 });
    });

    it('writes a change that REST then obeys (one-to-one messages between friends only)', async () => {
      const answer = await api('PATCH', 'settings', { body: { relations: { c2cFriendsOnly: true } } });
      expect(answer.status, answer.raw).to.equal(200);
      expect((answer.Settings as Record<string, Record<string, unknown>>).relations).to.include({ c2cFriendsOnly: true, c2cBlocklistCheck: true });
      const refused = await rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 7, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'not friends' } }] });
      expect(refused.ErrorCode).to.be.oneOf([20009, 20010, 20011]);
      expect((await api('PATCH', 'settings', { body: { relations: { c2cFriendsOnly: false } } })).status).to.equal(200);
      await send('alice', 'bob', 'friends again');
    });

    it('refuses a value out of range as apps set does, storing nothing', async () => {
      const answer = await api('PATCH', 'settings', { body: { messages: { roamingDays: 0 } } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([422, 70402]);
      expect(answer.ErrorInfo).to.match(/roamingDays/);
      const app = await server.broker.call<{ settings: { messages?: object } }, object>('apps.get', { sdkAppId: server.app.sdkAppId });
      expect(app.settings.messages ?? { recallSeconds: 120, roamingDays: 7 }).to.deep.equal({ recallSeconds: 120, roamingDays: 7 });
    });

    it('refuses the callback and push sections, which have their own paths', async () => {
      const answer = await api('PATCH', 'settings', { body: { push: { apns: {} } } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([422, 70402]);
    });
  });
});
