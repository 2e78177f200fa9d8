/**
 * The console's accounts by nick and import, a group's history and muting its members
 * (/console/api/accounts, account/import, group/messages, group/mute): searches read the app's
 * nick directory (an index range, never a scan of profiles) and show only what is true now;
 * imports and mutes run the REST commands, so their validation and codes are the commands'
 * own; every write is in the audit log.
 */
import { expect } from 'chai';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { EventLog, IndexRange } from '../../runtime/eventlog';
import { consoleCall, type CallOptions, type ConsoleAnswer } from '../support/console';
import { adminRest, REST_SERVICES, startEmbedded, type Embedded, type RestClient } from '../support/embedded';

type Reply = ConsoleAnswer & Record<string, unknown>;
interface Hit {
  UserID: string;
  Nick: string;
}

describe('console: accounts by nick, import, group history and mute (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const api = (method: string, path: string, options: CallOptions = {}) => consoleCall(server, method, { ...options, path: `/console/api/${path}` }) as Promise<Reply>;
  const search = async (nick: string, before?: number) => api('GET', `accounts?nick=${encodeURIComponent(nick)}${before ? `&before=${before}` : ''}`);
  const lastAudit = async () => ((await api('GET', 'audit?limit=1')).Entries as { Action: string; Target: string; Fields: string[]; ErrorCode?: number }[])[0];

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'profiles', 'groups'] });
    rest = adminRest(server);
  });
  after(() => server?.stop());

  describe('import', () => {
    it('imports one account with its nick through account_import, recorded in the audit log', async () => {
      const answer = await api('POST', 'account/import', { body: { UserID: 'zed1', Nick: 'Zed Alpha' } });
      expect(answer.status, answer.raw).to.equal(200);
      const check = await rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'zed1' }] });
      expect((check.ResultItem as { AccountStatus: string }[])[0].AccountStatus).to.equal('Imported');
      expect(await lastAudit()).to.deep.include({ Action: 'account/import', Target: 'zed1', Fields: ['UserID', 'Nick'], ErrorCode: 0 });
    });

    it('imports a list through multiaccount_import and names the IDs it refused', async () => {
      const answer = await api('POST', 'account/import', { body: { Accounts: ['list1', 'list2', 'not valid!'] } });
      expect(answer.status, answer.raw).to.equal(200);
      expect(answer.FailAccounts).to.deep.equal(['not valid!']);
      const check = await rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'list1' }, { UserID: 'list2' }] });
      expect((check.ResultItem as { AccountStatus: string }[]).map((r) => r.AccountStatus)).to.deep.equal(['Imported', 'Imported']);
      expect((await lastAudit()).Target).to.equal('3 accounts: list1, list2, not valid!');
    });

    it("refuses what account_import refuses, with its code, importing nothing", async () => {
      for (const body of [{ UserID: 'a*b' }, { UserID: 'ok1', Nick: 'x'.repeat(600) }, { UserID: 'ok2', FaceUrl: 7 }]) {
        const answer = await api('POST', 'account/import', { body });
        expect([answer.status, answer.ErrorCode], JSON.stringify(body).slice(0, 40)).to.deep.equal([422, 70402]);
      }
      const check = await rest.call('im_open_login_svc/account_check', { CheckItem: [{ UserID: 'ok1' }, { UserID: 'ok2' }] });
      expect((check.ResultItem as { AccountStatus: string }[]).map((r) => r.AccountStatus)).to.deep.equal(['NotImported', 'NotImported']);
      expect(await lastAudit()).to.deep.include({ Action: 'account/import', ErrorCode: 70402 });
    });
  });

  describe('kick and delete', () => {
    it('refuses to kick or delete an account that was never imported (70107), recording the refusal', async () => {
      for (const action of ['kick', 'delete']) {
        const answer = await api('POST', `account/${action}`, { body: { UserID: 'ghost' } });
        expect([answer.status, answer.ErrorCode], action).to.deep.equal([422, 70107]);
        expect(await lastAudit()).to.deep.include({ Action: `account/${action}`, Target: 'ghost', ErrorCode: 70107 });
      }
    });
  });

  describe('global mute', () => {
    it('mutes an account through setnospeaking: the account view and getnospeaking show it', async () => {
      const answer = await api('POST', 'account/mute', { body: { UserID: 'zed1', C2CmsgNospeakingTime: 600 } });
      expect(answer.status, answer.raw).to.equal(200);
      const view = (await api('GET', 'account?id=zed1')).Account as { NoSpeaking: { C2CmsgNospeakingTime: number; GroupmsgNospeakingTime: number } };
      expect(view.NoSpeaking.C2CmsgNospeakingTime).to.be.within(595, 600);
      expect(view.NoSpeaking.GroupmsgNospeakingTime).to.equal(0);
      const rest2 = await rest.call('openconfigsvr/getnospeaking', { Get_Account: 'zed1' });
      expect(rest2.C2CmsgNospeakingTime).to.be.within(595, 600);
      expect(await lastAudit()).to.deep.include({ Action: 'account/mute', Target: 'zed1', Fields: ['UserID', 'C2CmsgNospeakingTime'], ErrorCode: 0 });
    });

    it("refuses what setnospeaking refuses, with its code, changing nothing", async () => {
      const answer = await api('POST', 'account/mute', { body: { UserID: 'zed1', GroupmsgNospeakingTime: -5 } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([422, 70402]);
      expect(((await rest.call('openconfigsvr/getnospeaking', { Get_Account: 'zed1' })).GroupmsgNospeakingTime)).to.equal(0);
    });
  });

  describe('search by nick', () => {
    before(async () => {
      for (let i = 2; i <= 25; i++) {
        const answer = await rest.call('im_open_login_svc/account_import', { UserID: `zed${i}`, Nick: `ZED ${String(i).padStart(2, '0')}` });
        expect(answer.ErrorCode, answer.ErrorInfo).to.equal(0);
      }
      // Neighbours the search must never read: other nicks, no nick at all.
      await rest.call('im_open_login_svc/multiaccount_import', { Accounts: Array.from({ length: 50 }, (_, i) => `other${i}`) });
      for (let i = 0; i < 10; i++) await rest.call('im_open_login_svc/account_import', { UserID: `yan${i}`, Nick: `Yan ${i}` });
    });

    it('pages through every account whose nick starts with the query, case ignored, each once', async () => {
      const first = await search('zed');
      expect(first.status, first.raw).to.equal(200);
      const page1 = first.Accounts as Hit[];
      expect(page1).to.have.length(20);
      expect(first.Next).to.be.a('number');
      const second = await search('zed', first.Next as number);
      const page2 = second.Accounts as Hit[];
      expect(second.Next).to.equal(undefined);
      const ids = [...page1, ...page2].map((h) => h.UserID);
      expect(ids).to.have.members(Array.from({ length: 25 }, (_, i) => `zed${i + 1}`));
      expect(page1[0]).to.deep.equal({ UserID: 'zed25', Nick: 'ZED 25' });
      expect(((await search('zed 1')).Accounts as Hit[]).map((h) => h.UserID)).to.have.members(['zed10', 'zed11', 'zed12', 'zed13', 'zed14', 'zed15', 'zed16', 'zed17', 'zed18', 'zed19']);
    });

    it('reads only the index rows of the query, however many other accounts there are', async () => {
      const store = runtimeOf(server.broker).store as EventLog;
      const original = store.readIndex.bind(store);
      let rows = 0;
      store.readIndex = async (stream: string, range: IndexRange) => {
        const page = await original(stream, range);
        rows += page.length;
        return page;
      };
      try {
        expect(((await search('yan')).Accounts as Hit[])).to.have.length(10);
      } finally {
        store.readIndex = original;
      }
      expect(rows).to.equal(10);
    });

    it('shows an account by its nick of now: not by a nick it changed, not once deleted', async () => {
      await rest.call('profile/portrait_set', { From_Account: 'zed3', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Quentin' }] });
      await api('POST', 'account/delete', { body: { UserID: 'zed4' } });
      const ids = async (q: string) => {
        const first = await search(q);
        const rest2 = first.Next ? ((await search(q, first.Next as number)).Accounts as Hit[]) : [];
        return [...(first.Accounts as Hit[]), ...rest2].map((h) => h.UserID);
      };
      const zeds = await ids('ZeD');
      expect(zeds).to.not.include.members(['zed3']);
      expect(zeds).to.not.include('zed4');
      expect(zeds).to.have.length(23);
      expect((await search('quen')).Accounts).to.deep.equal([{ UserID: 'zed3', Nick: 'Quentin' }]);
    });

    it('refuses wildcards and an empty query, and finds nothing for an injection attempt', async () => {
      for (const q of ['zed*', 'z%', '?', ' ']) {
        const answer = await search(q);
        expect([answer.status, answer.ErrorCode], q).to.deep.equal([422, 70402]);
      }
      const injection = await search("' OR 1=1 --");
      expect([injection.status, injection.Accounts]).to.deep.equal([200, []]);
      for (const path of ['accounts', 'accounts?nick=a&nick=b', 'accounts?nick=zed&before=x']) expect((await api('GET', path)).status, path).to.equal(400);
    });
  });

  describe('groups', () => {
    let groupId: string;
    before(async () => {
      const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'zed1', Type: 'Public', Name: 'History club', MemberList: [{ Member_Account: 'zed2' }] });
      expect(created.ErrorCode, created.ErrorInfo).to.equal(0);
      groupId = created.GroupId as string;
      for (let i = 1; i <= 25; i++) {
        const sent = await rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'zed2', Random: i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `g${i}` } }] });
        expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
      }
    });

    it("pages a group's history newest first, as group_msg_get_simple answers the administrator", async () => {
      const first = await api('GET', `group/messages?id=${encodeURIComponent(groupId)}`);
      expect(first.status, first.raw).to.equal(200);
      const texts = (a: Reply) => (a.Messages as { MsgBody: { MsgContent: { Text: string } }[] }[]).map((m) => m.MsgBody[0].MsgContent.Text);
      expect(texts(first)).to.have.length(20);
      expect(texts(first)[0]).to.equal('g25');
      expect(first.Complete).to.equal(false);
      const second = await api('GET', `group/messages?id=${encodeURIComponent(groupId)}&before=${first.NextSeq as number}`);
      expect(texts(second)).to.deep.equal(['g5', 'g4', 'g3', 'g2', 'g1']);
      expect(second.Complete).to.equal(true);
      const missing = await api('GET', 'group/messages?id=nosuchgroup');
      expect([missing.status, missing.ErrorCode]).to.deep.equal([422, 10010]);
    });

    it('mutes a member through forbid_send_msg, for the time given: REST lists them muted', async () => {
      const answer = await api('POST', 'group/mute', { body: { GroupId: groupId, Members_Account: ['zed2'], MuteTime: 600 } });
      expect(answer.status, answer.raw).to.equal(200);
      const muted = await rest.call('group_open_http_svc/get_group_muted_account', { GroupId: groupId });
      const list = muted.MutedAccountList as { Member_Account: string; MutedUntil: number }[];
      expect(list.map((m) => m.Member_Account)).to.deep.equal(['zed2']);
      expect(list[0].MutedUntil).to.be.within(Math.floor(Date.now() / 1000) + 590, Math.floor(Date.now() / 1000) + 601);
      expect(await lastAudit()).to.deep.include({ Action: 'group/mute', Target: `${groupId}: zed2`, ErrorCode: 0 });
    });

    it('refuses to disband a group that does not exist (10010)', async () => {
      const answer = await api('POST', 'group/disband', { body: { GroupId: 'nosuchgroup' } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([422, 10010]);
    });

    it("refuses what forbid_send_msg refuses, with its code", async () => {
      const answer = await api('POST', 'group/mute', { body: { GroupId: groupId, Members_Account: ['zed2'], MuteTime: -1 } });
      expect([answer.status, answer.ErrorCode]).to.deep.equal([422, 10004]);
    });

    it("lists a Community's topics with the group, and reads one topic's history apart from the others", async () => {
      const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'zed1', Type: 'Community', Name: 'Town', SupportTopic: 1, MemberList: [{ Member_Account: 'zed2' }] });
      expect(created.ErrorCode, created.ErrorInfo).to.equal(0);
      const community = created.GroupId as string;
      const topics: string[] = [];
      for (const TopicName of ['news', 'chat']) {
        const topic = await rest.call('million_group_open_http_svc/create_topic', { GroupId: community, TopicName });
        expect(topic.ErrorCode, topic.ErrorInfo).to.equal(0);
        topics.push(topic.TopicId as string);
      }
      for (const [i, TopicId] of [topics[0], topics[1], topics[1]].entries()) {
        const sent = await rest.call('group_open_http_svc/send_group_msg', { GroupId: community, TopicId, From_Account: 'zed2', Random: 100 + i, MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: `t${i}` } }] });
        expect(sent.ErrorCode, sent.ErrorInfo).to.equal(0);
      }
      const group = await api('GET', `group?id=${encodeURIComponent(community)}`);
      expect(group.status, group.raw).to.equal(200);
      const listed = group.Topics as { TopicId: string; TopicName: string; NextMsgSeq: number }[];
      expect(listed.map((t) => [t.TopicId, t.TopicName, t.NextMsgSeq - 1]).sort()).to.deep.equal([[topics[0], 'news', 1], [topics[1], 'chat', 2]].sort());
      const history = await api('GET', `group/messages?id=${encodeURIComponent(community)}&topic=${encodeURIComponent(topics[1])}`);
      expect(history.status, history.raw).to.equal(200);
      expect((history.Messages as { MsgBody: { MsgContent: { Text: string } }[] }[]).map((m) => m.MsgBody[0].MsgContent.Text)).to.deep.equal(['t2', 't1']);
      // An ordinary group has no topics to list.
      expect((await api('GET', `group?id=${encodeURIComponent(groupId)}`)).Topics).to.deep.equal([]);
    });
  });
});
