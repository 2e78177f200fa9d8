/**
 * The relationship chain and profiles with the app backend's callbacks on, driven over REST
 * (and over the SDK protocol for what only a user does, answering a friend request): the
 * backend vets friend requests and answers per target, and hears of friends added and deleted,
 * blocks and profile changes, in order per user.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import { SNS } from '../../actors/relations';
import { Chain } from '../../services/friends/client';
import { configureCallbacks, OK, TestBackend, callbackFields as fields } from '../support/backend';
import { captureLogs } from '../support/logs';
import { FrameClient, startParley, type Parley } from './ws-harness';

const TOKEN = 'sns-callback-token';
const PREV_ADD = 'Sns.CallbackPrevFriendAdd';
const PREV_RESPONSE = 'Sns.CallbackPrevFriendResponse';
const FRIEND_ADD = 'Sns.CallbackFriendAdd';
const FRIEND_DELETE = 'Sns.CallbackFriendDelete';
const BLOCK = 'Sns.CallbackBlackListAdd';
const UNBLOCK = 'Sns.CallbackBlackListDelete';
const PORTRAIT = 'Profile.CallbackPortraitSet';

interface Item {
  To_Account: string;
  ResultCode: number;
  ResultInfo?: string;
}


describe('relationship chain and profiles with callbacks (e2e)', function () {
  this.timeout(30_000);
  const backend = new TestBackend();
  let parley: Parley;
  const frames: FrameClient[] = [];
  let n = 0;
  /** Fresh accounts per test; AllowAny unless told otherwise. */
  const users = async (count: number, allowType = 'AllowType_Type_AllowAny') => {
    const ids = Array.from({ length: count }, () => `s${++n}x${Date.now() % 100000}`);
    expect((await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ids })).ErrorCode).to.equal(0);
    for (const id of ids) expect((await parley.rest('profile/portrait_set', { From_Account: id, ProfileItem: [{ Tag: 'Tag_Profile_IM_AllowType', Value: allowType }] })).ErrorCode).to.equal(0);
    return ids;
  };
  const add = (from: string, to: string[], extra: object = {}) =>
    parley.rest<{ ErrorCode: number; ResultItem: Item[] }>('sns/friend_add', { From_Account: from, AddFriendItem: to.map((To_Account) => ({ To_Account, AddSource: 'AddSource_Type_Test' })), ...extra });
  const codes = (answer: { ResultItem: Item[] }) => Object.fromEntries(answer.ResultItem.map((i) => [i.To_Account, i.ResultCode]));
  const friendsOf = async (user: string) =>
    ((await parley.rest<{ UserDataItem: { To_Account: string }[] }>('sns/friend_get', { From_Account: user, StartIndex: 0 })).UserDataItem ?? []).map((u) => u.To_Account).sort();
  /** Callbacks of `command` that concern `user` (as From_Account anywhere in the body). */
  const about = (command: string, user: string) => backend.of(command).filter((r) => JSON.stringify(r.body).includes(`"From_Account":"${user}"`));
  const device = async (user: string) => {
    const client = await FrameClient.open(parley);
    frames.push(client);
    expect((await client.login(parley, user)).ErrorCode).to.equal(0);
    return client;
  };

  before(async () => {
    await backend.start();
    parley = await startParley({ PARLEY_CALLBACK_URL: backend.url, PARLEY_CALLBACK_TOKEN: TOKEN, PARLEY_LOG_LEVEL: 'warn' }, 1400000071);
    await configureCallbacks(parley.broker, parley.sdkAppId, { timeoutMs: 300, retryBaseMs: 50, retryMaxMs: 200 });
  });
  after(async () => {
    frames.splice(0).forEach((f) => f.close());
    await parley?.stop();
    await backend.stop();
  });
  beforeEach(() => {
    backend.respond = () => ({ body: OK });
  });

  it('asks the backend before friend_add with the request as Tencent words it, signed', async () => {
    const [a, b] = await users(2);
    const t0 = Math.floor(Date.now() / 1000);
    const answer = await parley.rest<{ ErrorCode: number; ResultItem: Item[] }>('sns/friend_add', {
      From_Account: a,
      AddFriendItem: [{ To_Account: b, Remark: 'Bee', AddSource: 'AddSource_Type_Web', AddWording: 'hi' }],
    });
    expect(codes(answer)).to.deep.equal({ [b]: 0 });
    const [asked] = about(PREV_ADD, a);
    expect(fields(asked)).to.deep.equal({
      Requester_Account: 'administrator',
      From_Account: a,
      FriendItem: [{ To_Account: b, Remark: 'Bee', GroupName: '', AddSource: 'AddSource_Type_Web', AddWording: 'hi' }],
      AddType: 'Add_Type_Both',
      ForceAddFlags: 0,
    });
    expect(asked.query).to.include({ SdkAppid: String(parley.sdkAppId), CallbackCommand: PREV_ADD, contenttype: 'json', OptPlatform: 'RESTAPI' });
    expect(Number(asked.query.RequestTime)).to.be.within(t0, t0 + 2);
    expect(asked.query.Sign).to.equal(crypto.createHash('sha256').update(`${TOKEN}${asked.query.RequestTime}`).digest('hex'));
  });

  it('reports the friends added with PairList, ClientCmd, Admin_Account and ForceFlag', async () => {
    const [a, b, c] = await users(3);
    expect((await add(a, [b, c], { ForceAddFlags: 1 })).ErrorCode).to.equal(0);
    await backend.waitFor(() => about(FRIEND_ADD, a).length === 1, 'Sns.CallbackFriendAdd');
    expect(fields(about(FRIEND_ADD, a)[0])).to.deep.equal({
      PairList: [
        { From_Account: a, To_Account: b, Initiator_Account: a },
        { From_Account: a, To_Account: c, Initiator_Account: a },
      ],
      ClientCmd: 'friend_add',
      Admin_Account: 'administrator',
      ForceFlag: 1,
    });
  });

  it('refuses the targets the backend refuses, with its code in [38000, 39000] or 38000 for any other, and adds the rest', async () => {
    const [a, ok, vetoed, odd] = await users(4);
    backend.respond = (r) => ({
      body:
        r.query.CallbackCommand === PREV_ADD
          ? {
              ...OK,
              ResultItem: [
                { To_Account: vetoed, ResultCode: 38_123, ResultInfo: 'not today' },
                { To_Account: odd, ResultCode: 30_539, ResultInfo: 'a code of Tencent’s own' },
                { To_Account: ok, ResultCode: 0, ResultInfo: '' },
              ],
            }
          : OK,
    });
    const answer = await add(a, [ok, vetoed, odd]);
    expect(codes(answer)).to.deep.equal({ [ok]: 0, [vetoed]: 38_123, [odd]: 38_000 });
    expect(answer.ResultItem.find((i) => i.To_Account === vetoed)?.ResultInfo).to.equal('not today');
    expect(await friendsOf(a)).to.deep.equal([ok]);
    await backend.waitFor(() => about(FRIEND_ADD, a).length === 1, 'the friend-added report');
    expect(about(FRIEND_ADD, a)[0].body.PairList).to.deep.equal([{ From_Account: a, To_Account: ok, Initiator_Account: a }]);
  });

  it('adds the friend when the backend answers too late, and logs it with the request id', async () => {
    const [a, b] = await users(2);
    backend.respond = (r) => (r.query.CallbackCommand === PREV_ADD ? { delayMs: 1500, body: { ...OK, ResultItem: [{ To_Account: b, ResultCode: 38_001, ResultInfo: 'late' }] } } : { body: OK });
    const t0 = Date.now();
    const logs = captureLogs();
    let answer;
    try {
      answer = await add(a, [b]);
    } finally {
      logs.restore();
    }
    expect(codes(answer)).to.deep.equal({ [b]: 0 });
    expect(Date.now() - t0).to.be.below(1200);
    expect(logs.matching(/Sns\.CallbackPrevFriendAdd/, new RegExp(String((answer as { RequestId?: string }).RequestId)), /failed/), logs.lines.join('\n')).to.have.length(1);
    expect(await friendsOf(a)).to.deep.equal([b]);
  });

  it('asks the backend before a user answers a request, applies its refusal, and reports the friends made', async () => {
    const [a, b, c] = await users(3, 'AllowType_Type_NeedConfirm');
    expect(codes(await add(a, [b]))).to.deep.equal({ [b]: 30_539 });
    expect(codes(await add(c, [b]))).to.deep.equal({ [b]: 30_539 });
    expect(about(FRIEND_ADD, a)).to.have.length(0);
    backend.respond = (r) => ({
      body: r.query.CallbackCommand === PREV_RESPONSE ? { ...OK, ResultItem: [{ To_Account: c, ResultCode: 38_500, ResultInfo: 'no' }, { To_Account: a, ResultCode: 0, ResultInfo: '' }] } : OK,
    });
    const bob = await device(b);
    const reply = (await bob.request('sns.friend_response', {
      From_Account: b,
      ResponseFriendItem: [
        { To_Account: a, ResponseAction: 'Response_Action_AgreeAndAdd', Remark: 'Ay' },
        { To_Account: c, ResponseAction: 'Response_Action_Agree' },
      ],
    })) as { ResultItem: Item[] };
    expect(codes(reply)).to.deep.equal({ [a]: 0, [c]: 38_500 });
    const [asked] = backend.of(PREV_RESPONSE).filter((r) => r.body.From_Account === b);
    expect(fields(asked)).to.deep.equal({
      Requester_Account: b,
      From_Account: b,
      ResponseFriendItem: [
        { To_Account: a, Remark: 'Ay', TagName: '', ResponseAction: 'Response_Action_AgreeAndAdd' },
        { To_Account: c, Remark: '', TagName: '', ResponseAction: 'Response_Action_Agree' },
      ],
    });
    expect(await friendsOf(b)).to.deep.equal([a]);
    expect(await friendsOf(c)).to.deep.equal([]);
    await backend.waitFor(() => backend.of(FRIEND_ADD).some((r) => r.body.ClientCmd === 'friend_response' && JSON.stringify(r.body).includes(b)), 'the friend-added report');
    const report = backend.of(FRIEND_ADD).find((r) => r.body.ClientCmd === 'friend_response' && JSON.stringify(r.body).includes(b))!;
    expect(fields(report)).to.deep.equal({
      PairList: [
        { From_Account: a, To_Account: b, Initiator_Account: a },
        { From_Account: b, To_Account: a, Initiator_Account: a },
      ],
      ClientCmd: 'friend_response',
      Admin_Account: '',
      ForceFlag: 0,
    });
  });

  it('does not ask before a response made over REST, as Tencent', async () => {
    const [a, b] = await users(2, 'AllowType_Type_NeedConfirm');
    await add(a, [b]);
    const answer = await parley.rest<{ ResultItem: Item[] }>('sns/friend_response', { From_Account: b, ResponseFriendItem: [{ To_Account: a, ResponseAction: 'Response_Action_Agree' }] });
    expect(codes(answer)).to.deep.equal({ [a]: 0 });
    await backend.waitFor(() => backend.of(FRIEND_ADD).some((r) => r.body.Admin_Account === 'administrator' && JSON.stringify(r.body).includes(b)), 'the friend-added report');
    expect(backend.of(PREV_RESPONSE).filter((r) => r.body.From_Account === b)).to.have.length(0);
  });

  it('refuses every target of a user’s answer with 38000 when the backend answers too late and the app chose to reject', async () => {
    const [a, b] = await users(2, 'AllowType_Type_NeedConfirm');
    await add(a, [b]);
    await configureCallbacks(parley.broker, parley.sdkAppId, { beforeTimeoutPolicy: 'reject' });
    try {
      backend.respond = (r) => (r.query.CallbackCommand === PREV_RESPONSE ? { delayMs: 1000 } : { body: OK });
      const bob = await device(b);
      const reply = (await bob.request('sns.friend_response', { From_Account: b, ResponseFriendItem: [{ To_Account: a, ResponseAction: 'Response_Action_Agree' }] })) as { ResultItem: Item[] };
      expect(codes(reply)).to.deep.equal({ [a]: 38_000 });
      expect(reply.ResultItem[0].ResultInfo).to.be.a('string').and.not.match(/^error /);
      expect(await friendsOf(b)).to.deep.equal([]);
    } finally {
      await configureCallbacks(parley.broker, parley.sdkAppId, { beforeTimeoutPolicy: 'allow' });
    }
  });

  it('reports a friend once when a request cut short after the peer’s half is repeated, and not on a further repeat', async () => {
    const [a, b, c] = await users(3);
    // What a node crash after the first step of friend_add leaves: b has a, a's list lacks b.
    const now = Math.floor(Date.now() / 1000);
    const peerHalf = { remark: '', groups: [], source: 'AddSource_Type_Test', wording: '', addTime: now, custom: {} };
    await new Chain(parley.broker, parley.sdkAppId).change(b, { op: 'link', peer: a, friend: peerHalf, friendOf: true, limit: 3000, limitCode: SNS.PEER_FRIEND_LIMIT, lists: 32, now });
    expect(codes(await add(a, [b]))).to.deep.equal({ [b]: 0 });
    expect(codes(await add(a, [b]))).to.deep.equal({ [b]: 0 });
    expect((await parley.rest('sns/black_list_add', { From_Account: a, To_Account: [c] })).ErrorCode).to.equal(0);
    // One user's callbacks arrive in order: once the block is in, any second report would be too.
    await backend.waitFor(() => about(BLOCK, a).length === 1, 'the block report');
    expect(about(FRIEND_ADD, a).map((r) => r.body.PairList)).to.deep.equal([[{ From_Account: a, To_Account: b, Initiator_Account: a }]]);
    expect(await friendsOf(a)).to.deep.equal([b]);
  });

  it('reports what it changed with the caller’s platform and address', async () => {
    const [a, b] = await users(2);
    const alice = await device(a);
    const reply = (await alice.request('sns.friend_add', { From_Account: a, AddFriendItem: [{ To_Account: b, AddSource: 'AddSource_Type_Web' }] })) as { ResultItem: Item[] };
    expect(codes(reply)).to.deep.equal({ [b]: 0 });
    await backend.waitFor(() => about(FRIEND_ADD, a).length === 1, 'the friend-added report');
    const [report] = about(FRIEND_ADD, a);
    expect(report.query).to.include({ OptPlatform: 'Web', ClientIP: '127.0.0.1' });
    expect(report.body).to.include({ ClientCmd: 'friend_add', Admin_Account: '', ForceFlag: 0 });
  });

  it('reports deleted friends, blocks and unblocks with their PairList', async () => {
    const [a, b, c] = await users(3);
    await add(a, [b, c]);
    expect((await parley.rest('sns/friend_delete', { From_Account: a, To_Account: [b], DeleteType: 'Delete_Type_Both' })).ErrorCode).to.equal(0);
    expect((await parley.rest('sns/black_list_add', { From_Account: a, To_Account: [b, c] })).ErrorCode).to.equal(0);
    expect((await parley.rest('sns/black_list_delete', { From_Account: a, To_Account: [c] })).ErrorCode).to.equal(0);
    await backend.waitFor(() => about(UNBLOCK, a).length === 1, 'the unblock report');
    expect(fields(about(FRIEND_DELETE, a)[0])).to.deep.equal({ PairList: [{ From_Account: a, To_Account: b }] });
    expect(fields(about(BLOCK, a)[0])).to.deep.equal({ PairList: [{ From_Account: a, To_Account: b }, { From_Account: a, To_Account: c }] });
    expect(fields(about(UNBLOCK, a)[0])).to.deep.equal({ PairList: [{ From_Account: a, To_Account: c }] });
  });

  it('reports every deletion of friend_delete_all', async () => {
    const [a, b, c] = await users(3);
    await add(a, [b, c]);
    expect((await parley.rest('sns/friend_delete_all', { From_Account: a })).ErrorCode).to.equal(0);
    await backend.waitFor(() => about(FRIEND_DELETE, a).length === 1, 'the deletion report');
    expect((about(FRIEND_DELETE, a)[0].body.PairList as object[]).length).to.equal(2);
    expect(about(FRIEND_DELETE, a)[0].body.PairList).to.deep.include.members([{ From_Account: a, To_Account: b }, { From_Account: a, To_Account: c }]);
  });

  it('reports a profile change with the items set', async () => {
    const [a] = await users(1);
    expect((await parley.rest('profile/portrait_set', { From_Account: a, ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Ann' }, { Tag: 'Tag_Profile_IM_Level', Value: 3 }] })).ErrorCode).to.equal(0);
    await backend.waitFor(() => backend.of(PORTRAIT).some((r) => r.body.From_Account === a && JSON.stringify(r.body).includes('Ann')), 'Profile.CallbackPortraitSet');
    const report = backend.of(PORTRAIT).find((r) => r.body.From_Account === a && JSON.stringify(r.body).includes('Ann'))!;
    expect(report.query).to.include({ OptPlatform: 'RESTAPI', ClientIP: '127.0.0.1' });
    expect(fields(report)).to.deep.equal({
      Operator_Account: 'administrator',
      From_Account: a,
      ProfileItem: [
        { Tag: 'Tag_Profile_IM_Nick', Value: 'Ann' },
        { Tag: 'Tag_Profile_IM_Level', Value: 3 },
      ],
    });
  });

  it('reports one user’s changes in the order they were made, even after the backend failed for a while', async () => {
    const [a, b] = await users(2);
    let failures = 0;
    backend.respond = (r) => (r.query.CallbackCommand === PORTRAIT && r.raw.includes('"first"') && failures < 3 ? (failures++, { status: 503 }) : { body: OK });
    await parley.rest('profile/portrait_set', { From_Account: a, ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'first' }] });
    await add(a, [b]);
    await parley.rest('sns/black_list_add', { From_Account: a, To_Account: [b] });
    await parley.rest('sns/black_list_delete', { From_Account: a, To_Account: [b] });
    const mine = () => backend.received.filter((r) => [PORTRAIT, FRIEND_ADD, BLOCK, UNBLOCK].includes(r.query.CallbackCommand) && JSON.stringify(r.body).includes(`"From_Account":"${a}"`) && !JSON.stringify(r.body).includes('AllowType'));
    await backend.waitFor(() => mine().some((r) => r.query.CallbackCommand === UNBLOCK), 'the last report');
    expect(mine().map((r) => r.query.CallbackCommand)).to.deep.equal([PORTRAIT, PORTRAIT, PORTRAIT, PORTRAIT, FRIEND_ADD, BLOCK, UNBLOCK]);
  });
});
