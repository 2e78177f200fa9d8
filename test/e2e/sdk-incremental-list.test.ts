/**
 * The incremental conversation list, with Tencent's real web SDK: a device that reconnects
 * within 300 s sends recentcontact.page_get from the cursor of its last list, and Parley answers
 * only the conversations changed since (new messages, a pin made on another device, a group's
 * new message); the SDK's list is then right. Items are counted in the frames the SDK received.
 */
import { expect } from 'chai';
import { INBOX_CONTACT_DELETED, INBOX_CONV_PINNED, INBOX_MESSAGE_REF, inboxStream } from '../../actors/inbox';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { SdkClient } from '../support/sdk';
import { FrameClient, startParley, until, type Parley } from './ws-harness';
import { failNetwork, LoginHold } from '../support/login-hold';
import { conversationIdOf, recordingPageGets } from '../support/page-gets';

interface Conv {
  conversationID: string;
  unreadCount: number;
  isPinned: boolean;
  lastMessage: { payload?: { text?: string } };
}
type Answer = { ErrorCode: number } & Record<string, unknown>;
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const idOf = conversationIdOf;

describe('SDK incremental conversation list (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  let random = 1;
  /** Held shut while changes are made, so the SDK's re-login (and its page_get) waits for them (as in sdk-incremental-touches). */
  let logins: LoginHold;
  const clients: SdkClient[] = [];
  const frames: FrameClient[] = [];
  const rest = async (command: string, body: object) => {
    const answer = await parley.rest<Answer>(command, body);
    expect(answer.ErrorCode, `${command} ${JSON.stringify(answer)}`).to.equal(0);
    return answer;
  };
  const dm = (from: string, t: string, to = 'ibob') => rest('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: text(t), SyncOtherMachine: 2 });
  const say = (groupId: string, t: string) => rest('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'ipeer1', Random: random++, MsgBody: text(t) });
  const convs = async (c: SdkClient) => ((await c.chat.getConversationList()).data as { conversationList: Conv[] }).conversationList;
  /** Events of `type` in the user's inbox feed: what a change made for them wrote there. */
  const feedEvents = async (userId: string, type: string) => (await runtimeOf(parley.broker).store.read(inboxStream(parley.sdkAppId, userId), 0)).filter((e) => e.type === type).length;

  /** Logs `userId` in through a real SDK that records every page_get it sends, with the reply. */
  async function recordingLogin(userId: string) {
    const { client, passes } = await recordingPageGets(parley, userId);
    clients.push(client);
    await client.login();
    return { client, passes };
  }

  before(async () => {
    parley = await startParley({}, 1400000191);
    logins = new LoginHold(parley.broker);
    // The paging test sends over a hundred messages at once: above the app's default REST rate (200/s).
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { rateLimits: { default: 100_000 } } });
    await parley.rest('im_open_login_svc/multiaccount_import', { Accounts: ['ibob', 'ipeer1', 'ipeer2', 'ipeer3', 'ipeer4', 'ipeer5'] });
  });
  afterEach(async () => {
    logins.release();
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    for (const f of frames.splice(0)) f.close();
  });
  after(async () => {
    await parley?.stop();
  });

  it('after a reconnect sends only the conversations changed meanwhile, and the SDK’s list is right', async () => {
    const groups: string[] = [];
    for (const name of ['one', 'two']) {
      groups.push((await rest('group_open_http_svc/create_group', { Owner_Account: 'ipeer1', Type: 'Public', Name: name, MemberList: [{ Member_Account: 'ibob' }] })).GroupId as string);
    }
    for (const peer of ['ipeer1', 'ipeer2', 'ipeer3', 'ipeer4', 'ipeer5']) await dm(peer, `hello from ${peer}`);
    for (const g of groups) await say(g, `hello ${g}`);
    // Group conversations are incremental by message time, which has Tencent's one-second
    // resolution (a group message in the second the list began is sent again, to be safe): the
    // list starts in a later second than these messages, so only the new one counts as changed.
    const setUpIn = Math.floor(Date.now() / 1000);
    await until('the clock is past the set-up second', () => Math.floor(Date.now() / 1000) > setUpIn);

    const { client: bob, passes } = await recordingLogin('ibob');
    await until('the whole list arrived', async () => (await convs(bob)).length === 7 && passes.some((p) => p.complete === 1));
    const full = passes.splice(0);
    expect(full[0].request.TimeStamp).to.equal(0);
    expect(full.flatMap((p) => p.items)).to.have.length(7);

    // Cut bob off; meanwhile two messages, a pin and a deletion made elsewhere (REST acts for bob).
    // His re-login waits until all four have reached his inbox: an SDK that reconnected first
    // would list from before some of them.
    const open = logins.hold();
    await failNetwork(parley.broker, parley.sdkAppId, 'ibob');
    try {
      const [refs, pins, deletions] = await Promise.all([INBOX_MESSAGE_REF, INBOX_CONV_PINNED, INBOX_CONTACT_DELETED].map((t) => feedEvents('ibob', t)));
      await dm('ipeer1', 'while away');
      await say(groups[0], 'group while away');
      await rest('recentcontact/top', { From_Account: 'ibob', OperationType: 1, RecentContactItem: [{ Type: 1, To_Account: 'ipeer2' }] });
      await rest('recentcontact/delete', { From_Account: 'ibob', Type: 1, To_Account: 'ipeer5' });
      await until('the message, the pin and the deletion are in bob’s inbox', async () => (await feedEvents('ibob', INBOX_MESSAGE_REF)) > refs && (await feedEvents('ibob', INBOX_CONV_PINNED)) > pins && (await feedEvents('ibob', INBOX_CONTACT_DELETED)) > deletions);
    } finally {
      open();
    }

    await until('the list after the reconnect is complete', () => passes.some((p) => p.complete === 1), 20_000);
    // The SDK asked from the cursor of its last list, and got only what changed (not the deleted one).
    expect(passes[0].request.TimeStamp).to.be.greaterThan(0);
    const sent = passes.flatMap((p) => p.items).map(idOf);
    expect(sent.sort()).to.deep.equal(['C2Cipeer1', 'C2Cipeer2', `GROUP${groups[0]}`].sort());

    await until('the SDK shows the changes', async () => {
      const list = await convs(bob);
      const by = (id: string) => list.find((c) => c.conversationID === id);
      return by('C2Cipeer1')?.lastMessage.payload?.text === 'while away' && by('C2Cipeer2')?.isPinned === true && by(`GROUP${groups[0]}`)?.lastMessage.payload?.text === 'group while away';
    });
    const list = await convs(bob);
    expect(list.find((c) => c.conversationID === `GROUP${groups[0]}`)?.unreadCount).to.equal(2);
    expect(list.find((c) => c.conversationID === 'C2Cipeer3')?.lastMessage.payload?.text).to.equal('hello from ipeer3');
    // Whether the SDK still shows C2Cipeer5 depends on whether it was back online for the deletion's
    // push: Tencent's incremental list has no way to name a deleted conversation (docs/sdk-protocol.md).

    // A new login gets the whole list again, from 0, without the deleted conversation.
    const fresh = await recordingLogin('ibob');
    await until('the whole list arrived on a new login', () => fresh.passes.some((p) => p.complete === 1));
    expect(fresh.passes[0].request.TimeStamp).to.equal(0);
    const ids = fresh.passes.flatMap((p) => p.items).map(idOf);
    expect(ids.sort()).to.deep.equal(['C2Cipeer1', 'C2Cipeer2', 'C2Cipeer3', 'C2Cipeer4', ...groups.map((g) => `GROUP${g}`)].sort());
  });

  it('pages an incremental list while messages arrive: each changed conversation comes, and what changed during the pass comes again next time', async () => {
    const peers = Array.from({ length: 120 }, (_, i) => `iq${i}`);
    const accounts = [...peers, 'icarol', 'inew'];
    for (let i = 0; i < accounts.length; i += 100) await rest('im_open_login_svc/multiaccount_import', { Accounts: accounts.slice(i, i + 100) });
    for (const p of peers) await dm(p, 'first', 'icarol');
    const socket = await FrameClient.open(parley);
    frames.push(socket);
    await socket.login(parley, 'icarol');
    type Reply = Record<string, unknown> & { SessionItem: { To_Account: string }[] };
    const pass = async (cursor: Record<string, unknown>, between?: (page: number) => Promise<void>) => {
      const sent: string[] = [];
      let body: Record<string, unknown> = { From_Account: 'icarol', StartIndex: 0, TopStartIndex: 0, OrderType: 1, ...cursor };
      for (let page = 0; ; page++) {
        const r = (await socket.request('recentcontact.page_get', body)) as Reply;
        sent.push(...r.SessionItem.map((i) => i.To_Account));
        if (r.CompleteFlag === 1) return { sent, cursor: { TimeStamp: r.TimeStamp, TopTimeStamp: r.TopTimeStamp, StartIndex: r.StartIndex, TopStartIndex: r.TopStartIndex } };
        await between?.(page);
        body = { ...body, TimeStamp: r.TimeStamp, StartIndex: r.StartIndex, TopTimeStamp: r.TopTimeStamp, TopStartIndex: r.TopStartIndex };
      }
    };
    const full = await pass({ TimeStamp: 0, TopTimeStamp: 0 });
    expect(new Set(full.sent).size).to.equal(120);

    const changed = peers.slice(0, 80);
    for (const p of changed) await dm(p, 'second', 'icarol');
    // After the first page: a message in a conversation already sent, one not sent yet, and a new conversation.
    const incremental = await pass(full.cursor, async (page) => {
      if (page > 0) return;
      await dm('iq0', 'third', 'icarol');
      await dm('iq79', 'third', 'icarol');
      await dm('inew', 'first', 'icarol');
    });
    expect(new Set(incremental.sent)).to.deep.equal(new Set([...changed, 'inew']));
    expect(incremental.sent.filter((p) => p === 'iq79')).to.have.length(1);
    expect(incremental.sent.length).to.be.lessThan(85);
    // The next pass from where that one ended: what changed during it, nothing else.
    const next = await pass(incremental.cursor);
    expect(new Set(next.sent)).to.deep.equal(new Set(['iq0', 'iq79', 'inew']));
    const quiet = await pass(next.cursor);
    expect(quiet.sent).to.deep.equal([]);
  });
});
