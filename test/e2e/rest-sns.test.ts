/**
 * The relationship chain through the REST API, as an app backend drives it: friend_add under
 * each AllowType, requests, lists, blocklist, the check tables and every limit.
 */
import { expect } from 'chai';
import { Chain } from '../../services/friends/client';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
type Item = { To_Account: string; ResultCode: number; Relation?: string };
const codes = (a: Answer, key = 'ResultItem') => Object.fromEntries((a[key] as Item[]).map((i) => [i.To_Account, i.ResultCode]));

describe('REST relationship chain (e2e)', function () {
  this.timeout(60_000);
  let server: Embedded;
  let rest: RestClient;
  let n = 0;
  /** Fresh accounts per test, so tests do not share state. */
  const users = async (count: number, allowType = 'AllowType_Type_AllowAny') => {
    const ids = Array.from({ length: count }, () => `u${++n}x${Date.now() % 100000}`);
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ids }));
    for (const id of ids) ok(await rest.call('profile/portrait_set', { From_Account: id, ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: allowType }] }));
    return ids;
  };
  const add = (from: string, to: string[], extra: object = {}) =>
    rest.call('sns/friend_add', { From_Account: from, AddFriendItem: to.map((To_Account) => ({ To_Account, AddSource: 'AddSource_Type_Test' })), ...extra });
  const friendsOf = async (user: string) => ((await rest.call('sns/friend_get', { From_Account: user, StartIndex: 0 })).UserDataItem as { To_Account: string }[]).map((u) => u.To_Account);
  const check = async (from: string, to: string[], CheckType: string) => {
    const a = await rest.call('sns/friend_check', { From_Account: from, To_Account: to, CheckType });
    ok(a);
    return Object.fromEntries((a.InfoItem as Item[]).map((i) => [i.To_Account, i.Relation]));
  };
  const blockCheck = async (from: string, to: string[], CheckType: string) => {
    const a = await rest.call('sns/black_list_check', { From_Account: from, To_Account: to, CheckType });
    ok(a);
    return Object.fromEntries((a.BlackListCheckItem as Item[]).map((i) => [i.To_Account, i.Relation]));
  };

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'friends', 'profiles'] });
    rest = adminRest(server);
  });
  after(() => server?.stop());

  describe('friend_add and the target’s AllowType', () => {
    it('adds both ways at once when the target allows anyone', async () => {
      const [a, b] = await users(2);
      const answer = await add(a, [b]);
      ok(answer);
      expect(codes(answer)).to.deep.equal({ [b]: 0 });
      expect(await friendsOf(a)).to.deep.equal([b]);
      expect(await friendsOf(b)).to.deep.equal([a]);
    });

    it('adds one way with Add_Type_Single', async () => {
      const [a, b] = await users(2);
      ok(await add(a, [b], { AddType: 'Add_Type_Single' }));
      expect(await friendsOf(a)).to.deep.equal([b]);
      expect(await friendsOf(b)).to.deep.equal([]);
    });

    it('creates a pending request (30539) when the target needs to confirm, and the target sees it', async () => {
      const [a] = await users(1);
      const [b] = await users(1, 'AllowType_Type_NeedConfirm');
      expect(codes(await add(a, [b]))).to.deep.equal({ [b]: 30539 });
      expect(await friendsOf(a)).to.deep.equal([]);
      const pending = await rest.call('sns/pendency_get', { From_Account: b, PendencyType: 'Pendency_Type_Both' });
      expect(pending.PendencyItem).to.deep.include({ To_Account: a, PendencyType: 'Pendency_Type_ComeIn', AddSource: 'AddSource_Type_Test', AddWording: '', AddTime: (pending.PendencyItem as { AddTime: number }[])[0].AddTime, Nick: '', Image: '' });
      expect(pending.UnreadPendencyCount).to.equal(1);
    });

    it('makes friends when the target agrees and adds back', async () => {
      const [a] = await users(1);
      const [b] = await users(1, 'AllowType_Type_NeedConfirm');
      await add(a, [b], { AddFriendItem: [{ To_Account: b, AddSource: 'AddSource_Type_Web', Remark: 'bee', GroupName: 'work' }] });
      const answer = await rest.call('sns/friend_response', { From_Account: b, ResponseFriendItem: [{ To_Account: a, ResponseAction: 'Response_Action_AgreeAndAdd' }] });
      expect(codes(answer)).to.deep.equal({ [a]: 0 });
      expect(await check(a, [b], 'CheckResult_Type_Both')).to.deep.equal({ [b]: 'CheckResult_Type_BothWay' });
      const list = await rest.call('sns/friend_get_list', { From_Account: a, To_Account: [b], TagList: ['Tag_SNS_IM_Remark', 'Tag_SNS_IM_Group'] });
      expect((list.InfoItem as { SnsProfileItem: unknown[] }[])[0].SnsProfileItem).to.deep.equal([
        { Tag: 'Tag_SNS_IM_Group', Value: ['work'] },
        { Tag: 'Tag_SNS_IM_Remark', Value: 'bee' },
      ]);
      expect((await rest.call('sns/pendency_get', { From_Account: b })).PendencyItem).to.deep.equal([]);
    });

    it('refuses a request answered with Reject and forgets it on both sides', async () => {
      const [a] = await users(1);
      const [b] = await users(1, 'AllowType_Type_NeedConfirm');
      await add(a, [b]);
      ok(await rest.call('sns/friend_response', { From_Account: b, ResponseFriendItem: [{ To_Account: a, ResponseAction: 'Response_Action_Reject' }] }));
      expect((await rest.call('sns/pendency_get', { From_Account: a })).PendencyItem).to.deep.equal([]);
      expect(await friendsOf(a)).to.deep.equal([]);
      const again = await rest.call('sns/friend_response', { From_Account: b, ResponseFriendItem: [{ To_Account: a, ResponseAction: 'Response_Action_Agree' }] });
      expect(codes(again)).to.deep.equal({ [a]: 30614 });
    });

    it('refuses with 30516 when the target denies everyone, unless an administrator forces it', async () => {
      const [a] = await users(1);
      const [b] = await users(1, 'AllowType_Type_DenyAny');
      expect(codes(await add(a, [b]))).to.deep.equal({ [b]: 30516 });
      expect(codes(await add(a, [b], { ForceAddFlags: 1 }))).to.deep.equal({ [b]: 0 });
      expect(await friendsOf(b)).to.deep.equal([a]);
    });

    it('answers 30003 for a target that does not exist and 30001 for oneself, changing nothing', async () => {
      const [a] = await users(1);
      expect(codes(await add(a, ['nobodyHere', a]))).to.deep.equal({ nobodyHere: 30003, [a]: 30001 });
      expect(await friendsOf(a)).to.deep.equal([]);
    });

    it('refuses bad input as a whole with 30001: remark, wording, source and list name over their limits', async () => {
      const [a, b] = await users(2);
      for (const bad of [{ Remark: 'r'.repeat(97) }, { AddWording: 'w'.repeat(257) }, { AddSource: 'Android' }, { AddSource: 'AddSource_Type_TooLongWord' }, { GroupName: 'g'.repeat(31) }]) {
        const answer = await rest.call('sns/friend_add', { From_Account: a, AddFriendItem: [{ To_Account: b, AddSource: 'AddSource_Type_X', ...bad }] });
        expect(answer.ErrorCode, JSON.stringify(bad)).to.equal(30001);
      }
      expect(await friendsOf(a)).to.deep.equal([]);
      ok(await rest.call('sns/friend_add', { From_Account: a, AddFriendItem: [{ To_Account: b, AddSource: 'AddSource_Type_X', Remark: 'r'.repeat(96), AddWording: 'w'.repeat(256), GroupName: 'g'.repeat(30) }] }));
    });
  });

  describe('friend_check relations, table-driven', () => {
    // a → b one way, c → a one way, a ⇄ d, e unrelated.
    let a: string, b: string, c: string, d: string, e: string;
    before(async () => {
      [a, b, c, d, e] = await users(5);
      ok(await add(a, [b], { AddType: 'Add_Type_Single' }));
      ok(await add(c, [a], { AddType: 'Add_Type_Single' }));
      ok(await add(a, [d]));
    });
    const rows: [string, 'b' | 'c' | 'd' | 'e', string][] = [
      ['CheckResult_Type_Single', 'b', 'CheckResult_Type_AWithB'],
      ['CheckResult_Type_Single', 'c', 'CheckResult_Type_NoRelation'],
      ['CheckResult_Type_Single', 'd', 'CheckResult_Type_AWithB'],
      ['CheckResult_Type_Single', 'e', 'CheckResult_Type_NoRelation'],
      ['CheckResult_Type_Both', 'b', 'CheckResult_Type_AWithB'],
      ['CheckResult_Type_Both', 'c', 'CheckResult_Type_BWithA'],
      ['CheckResult_Type_Both', 'd', 'CheckResult_Type_BothWay'],
      ['CheckResult_Type_Both', 'e', 'CheckResult_Type_NoRelation'],
    ];
    for (const [type, who, relation] of rows) {
      it(`${type}: a and ${who} are ${relation}`, async () => {
        const peer = { b, c, d, e }[who];
        expect(await check(a, [peer], type)).to.deep.equal({ [peer]: relation });
      });
    }
    it('refuses an unknown CheckType with 30001', async () => {
      expect((await rest.call('sns/friend_check', { From_Account: a, To_Account: [b], CheckType: 'Both' })).ErrorCode).to.equal(30001);
    });
  });

  describe('blocklist', () => {
    it('blocks, unfriends both ways, and refuses requests either way with 30515 and 30525', async () => {
      const [a, b] = await users(2);
      ok(await add(a, [b]));
      ok(await rest.call('sns/black_list_add', { From_Account: a, To_Account: [b] }));
      expect(await friendsOf(a)).to.deep.equal([]);
      expect(await friendsOf(b)).to.deep.equal([]);
      expect(codes(await add(a, [b]))).to.deep.equal({ [b]: 30515 });
      expect(codes(await add(b, [a]))).to.deep.equal({ [a]: 30525 });
      ok(await rest.call('sns/black_list_delete', { From_Account: a, To_Account: [b] }));
      expect(codes(await add(b, [a]))).to.deep.equal({ [a]: 0 });
    });

    it('mends the peer’s side of an unblock cut short when black_list_delete is repeated', async () => {
      const [a, b] = await users(2);
      ok(await rest.call('sns/black_list_add', { From_Account: a, To_Account: [b] }));
      // What a crash after the owner's step leaves: a's blocklist lacks b, b still sees a's block.
      await new Chain(server.broker, server.app.sdkAppId).many(a, { op: 'many', steps: [{ op: 'unblock', peers: [b], now: Math.floor(Date.now() / 1000) }] });
      expect(codes(await add(b, [a]))).to.deep.equal({ [a]: 30525 });
      const again = await rest.call('sns/black_list_delete', { From_Account: a, To_Account: [b] });
      expect(codes(again)).to.deep.equal({ [b]: 30001 });
      expect(await blockCheck(b, [a], 'BlackCheckResult_Type_Both')).to.deep.equal({ [a]: 'BlackCheckResult_Type_NO' });
      expect(codes(await add(b, [a]))).to.deep.equal({ [a]: 0 });
    });

    it('pages black_list_get with StartIndex 0 at the end', async () => {
      const [a, ...others] = await users(5);
      ok(await rest.call('sns/black_list_add', { From_Account: a, To_Account: others }));
      const first = await rest.call('sns/black_list_get', { From_Account: a, StartIndex: 0, MaxLimited: 3, LastSequence: 0 });
      expect((first.BlackListItem as Item[]).map((i) => i.To_Account)).to.deep.equal(others.slice(0, 3));
      expect(first.StartIndex).to.equal(3);
      const second = await rest.call('sns/black_list_get', { From_Account: a, StartIndex: 3, MaxLimited: 3, LastSequence: 0 });
      expect((second.BlackListItem as Item[]).map((i) => i.To_Account)).to.deep.equal(others.slice(3));
      expect(second.StartIndex).to.equal(0);
    });

    describe('black_list_check relations, table-driven', () => {
      let a: string, b: string, c: string, d: string, e: string;
      before(async () => {
        [a, b, c, d, e] = await users(5);
        ok(await rest.call('sns/black_list_add', { From_Account: a, To_Account: [b, d] }));
        ok(await rest.call('sns/black_list_add', { From_Account: c, To_Account: [a] }));
        ok(await rest.call('sns/black_list_add', { From_Account: d, To_Account: [a] }));
      });
      const rows: [string, 'b' | 'c' | 'd' | 'e', string][] = [
        ['BlackCheckResult_Type_Single', 'b', 'BlackCheckResult_Type_AWithB'],
        ['BlackCheckResult_Type_Single', 'c', 'BlackCheckResult_Type_NO'],
        ['BlackCheckResult_Type_Both', 'b', 'BlackCheckResult_Type_AWithB'],
        ['BlackCheckResult_Type_Both', 'c', 'BlackCheckResult_Type_BWithA'],
        ['BlackCheckResult_Type_Both', 'd', 'BlackCheckResult_Type_BothWay'],
        ['BlackCheckResult_Type_Both', 'e', 'BlackCheckResult_Type_NO'],
      ];
      for (const [type, who, relation] of rows) {
        it(`${type}: a and ${who} are ${relation}`, async () => {
          const peer = { b, c, d, e }[who];
          expect(await blockCheck(a, [peer], type)).to.deep.equal({ [peer]: relation });
        });
      }
    });
  });

  describe('friend_update, friend_delete, friend lists', () => {
    it('updates remark and lists, refusing a remark over 96 bytes and an unknown custom tag with 30001', async () => {
      const [a, b] = await users(2);
      ok(await add(a, [b]));
      ok(await rest.call('sns/friend_update', { From_Account: a, UpdateItem: [{ To_Account: b, SnsItem: [{ Tag: 'Tag_SNS_IM_Remark', Value: 'best' }, { Tag: 'Tag_SNS_IM_Group', Value: ['x', 'y'] }] }] }));
      expect((await rest.call('sns/friend_update', { From_Account: a, UpdateItem: [{ To_Account: b, SnsItem: [{ Tag: 'Tag_SNS_IM_Remark', Value: 'r'.repeat(97) }] }] })).ErrorCode).to.equal(30001);
      expect((await rest.call('sns/friend_update', { From_Account: a, UpdateItem: [{ To_Account: b, SnsItem: [{ Tag: 'Tag_SNS_Custom_Nope', Value: '1' }] }] })).ErrorCode).to.equal(30001);
      const lists = await rest.call('sns/group_get', { From_Account: a, NeedFriend: 'Need_Friend_Type_Yes' });
      expect(lists.ResultItem).to.deep.equal([
        { GroupName: 'x', FriendNumber: 1, To_Account: [b] },
        { GroupName: 'y', FriendNumber: 1, To_Account: [b] },
      ]);
      const got = await rest.call('sns/friend_get_list', { From_Account: a, To_Account: [b], TagList: ['Tag_SNS_IM_Remark'] });
      expect((got.InfoItem as { SnsProfileItem: unknown[] }[])[0].SnsProfileItem).to.deep.equal([{ Tag: 'Tag_SNS_IM_Remark', Value: 'best' }]);
    });

    it('deletes one way (31704 for a non-friend) and both ways', async () => {
      const [a, b, c] = await users(3);
      ok(await add(a, [b, c]));
      expect(codes(await rest.call('sns/friend_delete', { From_Account: a, To_Account: [b], DeleteType: 'Delete_Type_Single' }))).to.deep.equal({ [b]: 0 });
      expect(await check(b, [a], 'CheckResult_Type_Both')).to.deep.equal({ [a]: 'CheckResult_Type_AWithB' });
      expect(codes(await rest.call('sns/friend_delete', { From_Account: a, To_Account: [b], DeleteType: 'Delete_Type_Single' }))).to.deep.equal({ [b]: 31704 });
      ok(await rest.call('sns/friend_delete', { From_Account: a, To_Account: [c], DeleteType: 'Delete_Type_Both' }));
      expect(await friendsOf(c)).to.deep.equal([]);
    });

    it('deletes every friend with friend_delete_all', async () => {
      const [a, b, c] = await users(3);
      ok(await add(a, [b, c]));
      ok(await rest.call('sns/friend_delete_all', { From_Account: a, DeleteType: 'Delete_Type_Both' }));
      expect(await friendsOf(a)).to.deep.equal([]);
      expect(await friendsOf(b)).to.deep.equal([]);
    });

    it('creates, renames and deletes lists, at most 32, a friend in several', async () => {
      const [a, b] = await users(2);
      ok(await add(a, [b]));
      ok(await rest.call('sns/group_add', { From_Account: a, GroupName: ['one', 'two'], To_Account: [b] }));
      expect((await rest.call('sns/group_add', { From_Account: a, GroupName: ['one'] })).ErrorCode).to.equal(30001);
      ok(await rest.call('sns/group_update', { From_Account: a, GroupOldName: 'one', GroupNewName: 'uno' }));
      ok(await rest.call('sns/group_delete', { From_Account: a, GroupName: ['two'] }));
      expect((await rest.call('sns/group_get', { From_Account: a, NeedFriend: 'Need_Friend_Type_Yes' })).ResultItem).to.deep.equal([{ GroupName: 'uno', FriendNumber: 1, To_Account: [b] }]);
      const names = Array.from({ length: 31 }, (_, i) => `l${i}`);
      ok(await rest.call('sns/group_add', { From_Account: a, GroupName: names }));
      const over = await rest.call('sns/group_add', { From_Account: a, GroupName: ['extra'] });
      expect(over.ErrorCode).to.equal(30011);
      expect((await rest.call('sns/group_add', { From_Account: a, GroupName: ['x'.repeat(31)] })).ErrorCode).to.equal(30001);
    });
  });

  describe('limits', () => {
    it('refuses a 101st pending request with 30012', async () => {
      const [target] = await users(1, 'AllowType_Type_NeedConfirm');
      const senders = [...(await users(100)), ...(await users(1))];
      for (const s of senders.slice(0, 100)) expect(codes(await add(s, [target]))).to.deep.equal({ [target]: 30539 });
      expect(codes(await add(senders[100], [target]))).to.deep.equal({ [target]: 30012 });
    });

    it('refuses the 3,001st friend with 30010 and a full peer with 30014', async () => {
      const [a, b, c] = await users(3);
      const many = Array.from({ length: 3000 }, (_, i) => `bulk${i}`);
      for (let i = 0; i < many.length; i += 100) ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: many.slice(i, i + 100) }));
      for (let i = 0; i < many.length; i += 1000) {
        const answer = await rest.call('sns/friend_import', { From_Account: a, AddFriendItem: many.slice(i, i + 1000).map((To_Account) => ({ To_Account, AddSource: 'AddSource_Type_Bulk' })) });
        ok(answer);
      }
      expect((await rest.call('sns/friend_get', { From_Account: a, StartIndex: 0 })).FriendNum).to.equal(3000);
      expect(codes(await add(a, [b], { ForceAddFlags: 1 }))).to.deep.equal({ [b]: 30010 });
      expect(codes(await add(c, [a], { ForceAddFlags: 1 }))).to.deep.equal({ [a]: 30014 });
      expect(codes(await add(c, [a], { ForceAddFlags: 1, AddType: 'Add_Type_Single' }))).to.deep.equal({ [a]: 0 });
    });

    it('refuses the 1,001st blocked account with 30013', async () => {
      const [a] = await users(1);
      const many = Array.from({ length: 1001 }, (_, i) => `bulk${i}`);
      ok(await rest.call('sns/black_list_add', { From_Account: a, To_Account: many.slice(0, 1000) }));
      const answer = await rest.call('sns/black_list_add', { From_Account: a, To_Account: [many[1000]] });
      expect(codes(answer)).to.deep.equal({ [many[1000]]: 30013 });
    });

    it('pages friend_get 100 at a time until CompleteFlag 1', async () => {
      const [a] = await users(1);
      const some = Array.from({ length: 250 }, (_, i) => `bulk${i}`);
      ok(await rest.call('sns/friend_import', { From_Account: a, AddFriendItem: some.map((To_Account) => ({ To_Account, AddSource: 'AddSource_Type_Bulk' })) }));
      const seen: string[] = [];
      let start = 0;
      for (;;) {
        const page = await rest.call('sns/friend_get', { From_Account: a, StartIndex: start });
        seen.push(...(page.UserDataItem as { To_Account: string }[]).map((u) => u.To_Account));
        if (page.CompleteFlag === 1) break;
        start = page.NextStartIndex as number;
      }
      expect(seen).to.deep.equal(some);
    });
  });

  it('refuses a From_Account that does not exist with 30003', async () => {
    expect((await rest.call('sns/friend_get', { From_Account: 'ghost', StartIndex: 0 })).ErrorCode).to.equal(30003);
  });
});
