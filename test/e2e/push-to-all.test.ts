/**
 * all_member_push/im_push end to end: an app backend pushes a message to all its imported
 * accounts, or to those with a tag; who got it is read back through REST history and, for a
 * logged-in user, the SDK protocol's push frames. MsgLifeTime 0 reaches online users only and
 * is not stored. Bad conditions get Tencent's codes; two tasks within a second get 90024.
 */
import { expect } from 'chai';
import { pushtaskKey, type PushtaskState } from '../../actors/pushtask';
import { FrameClient, startParley, until, type Parley } from './ws-harness';

type Answer = { ActionStatus: string; ErrorCode: number; ErrorInfo?: string; TaskId?: string; MsgList?: { MsgBody: { MsgContent: { Text: string } }[] }[] };
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const USERS = ['ptu1', 'ptu2', 'ptu3', 'ptu4', 'ptu5'];

describe('all_member_push/im_push (REST, WebSocket)', function () {
  this.timeout(30_000);
  let parley: Parley;
  let online: FrameClient;
  let random = 100;
  const rest = (command: string, body: object) => parley.rest<Answer>(command, body);

  /** Submits a task, waiting out the 1 s interval (90024) if the previous one was just accepted. */
  async function push(body: object): Promise<string> {
    let answer: Answer | undefined;
    await until('a task accepted', async () => {
      answer = await rest('all_member_push/im_push', { From_Account: 'announcer', MsgRandom: random++, ...body });
      return answer.ErrorCode !== 90024;
    }, 5000);
    expect(answer!.ErrorCode, answer!.ErrorInfo).to.equal(0);
    expect(answer!.TaskId).to.be.a('string').and.not.equal('');
    const taskId = answer!.TaskId!;
    await until(`task ${taskId} finished`, async () => {
      const state = await parley.broker.call<PushtaskState, object>('pushtasks.dispatch', { key: pushtaskKey(parley.sdkAppId), command: { op: 'get' } });
      return state.running[taskId] === undefined;
    }, 10_000);
    return taskId;
  }

  /** Texts of the messages from the announcer in a user's roaming history. */
  async function history(user: string): Promise<string[]> {
    const a = await rest('openim/admin_getroammsg', { Operator_Account: user, Peer_Account: 'announcer', MaxCnt: 100, MinTime: 0, MaxTime: 0xffffffff });
    expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
    return (a.MsgList ?? []).map((m) => m.MsgBody[0].MsgContent.Text).sort();
  }
  const pushedTexts = () =>
    online.pushes
      .filter((f) => f.head.servcmd === 'im_open_push.msg_push')
      .flatMap((f) => (f.body.EventArray as { C2cMsgArray?: { From_Account: string; MsgBody: { MsgContent: { Text: string } }[] }[] }[]).flatMap((e) => e.C2cMsgArray ?? []))
      .filter((m) => m.From_Account === 'announcer')
      .map((m) => m.MsgBody[0].MsgContent.Text);

  before(async () => {
    parley = await startParley();
    expect((await rest('im_open_login_svc/multiaccount_import', { Accounts: ['announcer', ...USERS] })).ErrorCode).to.equal(0);
    expect((await rest('all_member_push/im_add_tag', { UserTags: [{ To_Account: 'ptu1', Tags: ['vip'] }, { To_Account: 'ptu4', Tags: ['vip', 'beta'] }] })).ErrorCode).to.equal(0);
    online = await FrameClient.open(parley);
    expect((await online.login(parley, 'ptu1')).ErrorCode ?? 0).to.equal(0);
  });
  after(async () => {
    online?.close();
    await parley?.stop();
  });

  it('delivers a message to every imported account but the sender, stored and pushed to the online one', async () => {
    await push({ MsgLifeTime: 3600, MsgBody: text('hello all') });
    for (const user of USERS) expect(await history(user), user).to.deep.equal(['hello all']);
    expect(await history('announcer').catch(() => [])).to.deep.equal([]);
    await until('the online user got the push frame', () => pushedTexts().includes('hello all'));
  });

  it('delivers only to the accounts a TagsOr condition selects', async () => {
    await push({ MsgLifeTime: 3600, MsgBody: text('vip only'), Condition: { TagsOr: ['vip'] } });
    expect(await history('ptu1')).to.deep.equal(['hello all', 'vip only']);
    expect(await history('ptu4')).to.deep.equal(['hello all', 'vip only']);
    for (const user of ['ptu2', 'ptu3', 'ptu5']) expect(await history(user), user).to.deep.equal(['hello all']);
  });

  it('with MsgLifeTime 0 reaches online users only and stores nothing', async () => {
    await push({ MsgLifeTime: 0, MsgBody: text('online only'), Condition: { TagsAnd: ['vip'] } });
    await until('the online vip got it', () => pushedTexts().includes('online only'));
    expect(await history('ptu1')).to.deep.equal(['hello all', 'vip only']);
    expect(await history('ptu4')).to.deep.equal(['hello all', 'vip only']);
  });

  it('refuses a second task within one second with 90024', async () => {
    let first: Answer | undefined;
    let t0 = 0;
    await until('a task accepted', async () => {
      t0 = Date.now();
      first = await rest('all_member_push/im_push', { MsgRandom: random++, MsgBody: text('a'), Condition: { TagsOr: ['none'] } });
      return first.ErrorCode !== 90024;
    });
    const second = await rest('all_member_push/im_push', { MsgRandom: random++, MsgBody: text('b'), Condition: { TagsOr: ['none'] } });
    expect(first!.ErrorCode).to.equal(0);
    // Both answered within one second of the client's clock, so within one second of the server's.
    if (Date.now() - t0 < 1000) expect(second.ErrorCode).to.equal(90024);
  });

  it("answers Tencent's codes for conditions out of range, and starts nothing", async () => {
    const cases: [object, number][] = [
      [{ TagsOr: ['a'], AttrsOr: { x: 'y' } }, 90039],
      [{ TagsAnd: ['a', 'a'] }, 90022],
      [{ TagsOr: ['x'.repeat(51)] }, 90020],
      [{ TagsOr: [''] }, 90040],
      [{ TagsOr: Array.from({ length: 11 }, (_, i) => `t${i}`) }, 90032],
      [{ AttrsAnd: { unnamed: 'v' } }, 90033],
    ];
    for (const [Condition, code] of cases) {
      const a = await rest('all_member_push/im_push', { From_Account: 'announcer', MsgRandom: random++, MsgBody: text('bad'), Condition });
      expect(a.ErrorCode, JSON.stringify(Condition)).to.equal(code);
    }
    const a = await rest('all_member_push/im_push', { From_Account: 'nobody-here', MsgRandom: random++, MsgBody: text('bad') });
    expect(a.ErrorCode).to.equal(90001);
  });
});
