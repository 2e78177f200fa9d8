/**
 * One group under concurrent load, from outside: many senders at once over REST (sequences
 * consecutive, no duplicates, history and pushes agree), and a burst over the group's
 * per-second limit with mixed priorities (higher priorities kept first, the rest answered as
 * sent and neither stored nor pushed). A member stays online over the SDK's frames throughout.
 */
import { expect } from 'chai';
import { FrameClient, startParley, until, type Parley } from './ws-harness';

type Answer = { ActionStatus: string; ErrorCode: number; ErrorInfo?: string; MsgSeq?: number; MsgTime?: number; MsgDropReason?: string };
type Pushed = { MsgSeq: number; MsgRandom: number; From_Account: string };

const G = 'group_open_http_svc';
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];
const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });

/** Group messages (Event 3) a frame client was pushed, in the order they arrived. */
const pushedMessages = (c: FrameClient, groupId: string): Pushed[] =>
  c.pushes.flatMap((p) => ((p.body.EventArray ?? []) as { Event: number; GroupMsgArray?: (Pushed & { ToGroupId: string })[] }[]))
    .filter((e) => e.Event === 3)
    .flatMap((e) => e.GroupMsgArray ?? [])
    .filter((m) => m.ToGroupId === groupId);

describe('one group under concurrent senders (e2e)', function () {
  this.timeout(60_000);
  const senders = Array.from({ length: 20 }, (_, i) => `s${i}`);
  let p: Parley;
  let watcher: FrameClient;

  const setLimit = async (messagesPerSecond: number) => {
    await p.broker.call('apps.update', { sdkAppId: p.sdkAppId, settings: { groups: { messagesPerSecond } } });
  };
  const createGroup = async () => {
    const a = await p.rest<Answer & { GroupId: string }>(`${G}/create_group`, { Owner_Account: 'owner', Type: 'Public', Name: 'busy', MemberList: [...senders, 'watcher'].map((Member_Account) => ({ Member_Account })) });
    ok(a);
    return a.GroupId;
  };
  const send = (GroupId: string, From_Account: string, Random: number, extra: object = {}) =>
    p.rest<Answer>(`${G}/send_group_msg`, { GroupId, From_Account, Random, MsgBody: text(`${From_Account}/${Random}`), ...extra });

  before(async () => {
    p = await startParley({ PARLEY_SQLITE_SYNC: 'NORMAL' }, 1400000000 + Math.floor(Math.random() * 1e8));
    // Hundreds of concurrent sends in a second: over the default 200 calls/s per command.
    await p.broker.call('apps.update', { sdkAppId: p.sdkAppId, settings: { rateLimits: { default: 100_000 } } });
    ok(await p.rest<Answer>('im_open_login_svc/multiaccount_import', { Accounts: ['owner', 'watcher', ...senders] }));
    watcher = await FrameClient.open(p);
    expect((await watcher.login(p, 'watcher')).ErrorCode ?? 0).to.equal(0);
  });
  after(async () => {
    watcher?.close();
    await p?.stop();
  });

  it('gives 200 concurrent sends from 20 senders consecutive sequences, once each, as history and pushes show', async () => {
    await setLimit(0);
    const id = await createGroup();
    const jobs = senders.flatMap((s) => Array.from({ length: 10 }, (_, k) => ({ s, random: 1000 + k })));
    const answers = await Promise.all(jobs.map((j) => send(id, j.s, j.random)));
    answers.forEach(ok);
    const seqs = answers.map((a) => a.MsgSeq!).sort((a, b) => a - b);
    const first = seqs[0];
    expect(seqs).to.deep.equal(Array.from({ length: 200 }, (_, i) => first + i));

    // Every reply's sequence holds that sender's message with that Random, once.
    const stored = new Map<number, { From_Account: string; MsgRandom: number }>();
    for (let req = first + 199; req >= first; ) {
      const page = await p.rest<Answer & { RspMsgList: { MsgSeq: number; From_Account: string; MsgRandom: number }[] }>(`${G}/group_msg_get_simple`, { GroupId: id, ReqMsgNumber: 20, ReqMsgSeq: req });
      ok(page);
      for (const m of page.RspMsgList) if (m.MsgSeq >= first) stored.set(m.MsgSeq, m);
      req = Math.min(...page.RspMsgList.map((m) => m.MsgSeq)) - 1;
    }
    expect(stored.size).to.equal(200);
    jobs.forEach((j, i) => expect(stored.get(answers[i].MsgSeq!)).to.include({ From_Account: j.s, MsgRandom: j.random }));

    // The online member is pushed each message once, in sequence order.
    await until('200 pushes', () => pushedMessages(watcher, id).length >= 200, 15_000);
    expect(pushedMessages(watcher, id).map((m) => m.MsgSeq)).to.deep.equal(seqs);
  });

  it('answers concurrent resends of one message with its first sequence and stores it once', async () => {
    await setLimit(0);
    const id = await createGroup();
    const answers = await Promise.all(Array.from({ length: 10 }, () => send(id, 's1', 77)));
    answers.forEach(ok);
    expect(new Set(answers.map((a) => a.MsgSeq)).size).to.equal(1);
    const page = await p.rest<Answer & { RspMsgList: { MsgRandom: number }[] }>(`${G}/group_msg_get_simple`, { GroupId: id, ReqMsgNumber: 20 });
    expect(page.RspMsgList.filter((m) => m.MsgRandom === 77)).to.have.length(1);
  });

  it('keeps higher priorities first in a burst over the per-second limit; the rest answer success, unstored and unpushed', async () => {
    await setLimit(10);
    const id = await createGroup();
    const priorities = ['Low', 'Normal', 'High'] as const;
    // Ten Low, then ten Normal, then ten High, all in flight at once: the lowest come first, so
    // only the shares keep room for the higher ones. Through the service (REST minus HTTP) so
    // the burst lands within one second's window on a busy machine too.
    const burst = Array.from({ length: 30 }, (_, i) => ({ priority: priorities[Math.floor(i / 10)], random: 5000 + i }));
    await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 20));
    const answers = await Promise.all(burst.map((b) =>
      p.broker.call<{ MsgSeq: number; MsgTime: number; MsgDropReason?: string }, object>('groups.sendMessage', {
        app: p.sdkAppId,
        caller: { kind: 'admin', id: 'administrator' },
        body: { GroupId: id, From_Account: 's1', Random: b.random, MsgPriority: b.priority, MsgBody: text(`burst ${b.random}`) },
      })));
    const byWindow = new Map<number, { kept: Record<string, number>; dropped: Record<string, number> }>();
    answers.forEach((a, i) => {
      const w = byWindow.get(a.MsgTime) ?? { kept: { Low: 0, Normal: 0, High: 0 }, dropped: { Low: 0, Normal: 0, High: 0 } };
      byWindow.set(a.MsgTime, w);
      if (a.MsgSeq > 0) w.kept[burst[i].priority]++;
      else {
        expect(a.MsgDropReason).to.equal('MsgFreqCtrl');
        w.dropped[burst[i].priority]++;
      }
    });
    for (const { kept, dropped } of byWindow.values()) {
      const total = kept.Low + kept.Normal + kept.High;
      expect(kept.Low, 'Low uses at most 70 % of 10').to.be.at.most(7);
      expect(kept.Low + kept.Normal, 'Low and Normal leave a tenth to High').to.be.at.most(9);
      expect(total).to.be.at.most(10);
      // A message is dropped only once its priority's share is used up.
      if (dropped.High > 0) expect(total).to.equal(10);
      if (dropped.Normal > 0) expect(total).to.be.at.least(9);
      if (dropped.Low > 0) expect(total).to.be.at.least(7);
    }
    const keptRandoms = burst.filter((_, i) => answers[i].MsgSeq > 0).map((b) => b.random);
    // Ten High in one window always fill it; a burst that straddled two seconds fills at most two.
    if (byWindow.size === 1) expect(keptRandoms).to.have.length(10);
    else expect(keptRandoms.length).to.be.within(1, 20);

    const page = await p.rest<Answer & { RspMsgList: { MsgRandom: number }[] }>(`${G}/group_msg_get_simple`, { GroupId: id, ReqMsgNumber: 20 });
    expect(page.RspMsgList.map((m) => m.MsgRandom).filter((r) => r >= 5000).sort()).to.deep.equal([...keptRandoms].sort());
    // A group's pushes leave in the order it produced them: once a notice sent after the burst
    // has arrived, so has any push of a dropped message.
    ok(await p.rest<Answer>(`${G}/send_group_system_notification`, { GroupId: id, Content: 'after the burst' }));
    await until('the notice after the burst', () => watcher.pushes.some((m) => JSON.stringify(m.body).includes('after the burst')));
    expect(pushedMessages(watcher, id).map((m) => m.MsgRandom).sort()).to.deep.equal([...keptRandoms].sort());
    await setLimit(40);
  });
});
