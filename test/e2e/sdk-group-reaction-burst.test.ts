/**
 * A burst of reactions on one group message, with Tencent's real web SDK: group reaction pushes
 * go through the group's merging fan-out (services/reactions/pushes.ts), the summaries as one
 * push to every member and MsgReactionNotify to the acting user alone. However the pushes were
 * merged, every online member's SDK ends on the stored counts, and each device of a reacting
 * user, its second one included, on the right reactedByMyself.
 */
import { expect } from 'chai';
import { createSdkClient, messageReceived, sendTextMessage, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

type Reaction = { reactionID: string; totalUserCount: number; reactedByMyself: boolean };
type Updated = { messageID: string; reactionList: Reaction[] };
type Summary = { resultList: { reactionList: Reaction[] }[] };
type Msg = { ID: string; sequence: number };
/** TencentCloudChat.EVENT.MESSAGE_REACTIONS_UPDATED (not in the bundle's typings). */
const REACTIONS_UPDATED = 'onMessageReactionsUpdated';
type Shown = Record<string, { total: number; me: boolean }>;

describe('SDK group reactions under a burst (e2e)', function () {
  this.timeout(60_000);
  let parley: Parley;
  const clients: SdkClient[] = [];
  /** Frames pushed to the group owner's device, who never reacts. */
  const ownerFrames: string[] = [];
  const reactors = ['rbu1', 'rbu2', 'rbu3', 'rbu4'];
  const offline = Array.from({ length: 20 }, (_, i) => `rbx${i}`);
  const rest = (command: string, body: object) => parley.rest<{ ErrorCode: number } & Record<string, unknown>>(command, body);
  const login = async (userId: string, onFrame?: (direction: 'out' | 'in', text: string) => void) => {
    const c = await createSdkClient({ sdkAppId: parley.sdkAppId, userId, userSig: parley.sig(userId), proxyServer: parley.proxyServer, onFrame });
    clients.push(c);
    await c.login();
    return c;
  };

  before(async () => {
    parley = await startParley({}, 1400000195);
    await parley.broker.call('apps.update', { sdkAppId: parley.sdkAppId, settings: { login: { policy: 'multi', instancesPerPlatform: 4, webInstances: 4 } } });
    await rest('im_open_login_svc/multiaccount_import', { Accounts: ['rbowner', ...reactors, ...offline] });
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  /** What the SDK last showed of each reaction of message `id`: MESSAGE_REACTIONS_UPDATED folded in order. */
  const shown = (c: SdkClient, id: string): Shown => {
    const out: Shown = {};
    for (const e of c.events.log) {
      const d = e.data as Updated;
      if (e.name !== REACTIONS_UPDATED || d.messageID !== id) continue;
      for (const r of d.reactionList) out[r.reactionID] = { total: r.totalUserCount, me: r.reactedByMyself };
    }
    return out;
  };
  const settled = async (c: SdkClient, id: string, want: Shown, who: string) => {
    const deadline = Date.now() + 15_000;
    const same = (a: Shown, b: Shown) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
    while (!same(shown(c, id), want) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(shown(c, id), who).to.deep.equal(want);
  };

  it('leaves every member on the final counts and each reacting device, a second one too, on its own reactedByMyself', async () => {
    const owner = await login('rbowner', (direction, text) => direction === 'in' && ownerFrames.push(text));
    const devices = new Map<string, SdkClient[]>();
    for (const u of reactors) devices.set(u, [await login(u)]);
    // Second devices of two reactors: they never call the SDK, they only hear of their user's changes.
    for (const u of reactors.slice(0, 2)) devices.get(u)!.push(await login(u));
    const created = await rest('group_open_http_svc/create_group', { Owner_Account: 'rbowner', Type: 'Public', Name: 'burst', MemberList: [...reactors, ...offline].map((Member_Account) => ({ Member_Account })) });
    const groupId = created.GroupId as string;
    const sent = await sendTextMessage<Msg>(owner, groupId, 'hot', 'GROUP');
    const got = new Map(await Promise.all(reactors.map(async (u) => [u, await messageReceived<Msg>(devices.get(u)![0], sent.ID)] as const)));

    const held = new Map<string, Set<string>>();
    const hold = (reaction: string, user: string, on: boolean) => {
      const set = held.get(reaction) ?? new Set<string>();
      held.set(reaction, set);
      if (on) set.add(user);
      else set.delete(user);
    };
    const adminChange = (op: 'add' | 'del', user: string, Reaction: string) =>
      rest(`openim_msg_ext_http_svc/group_reaction_${op}`, { GroupId: groupId, MsgSeq: sent.sequence, Reaction, [op === 'add' ? 'Add_Account' : 'Del_Account']: [user] });

    // All at once: 4 users × 3 reactions from the SDK, one more that is taken back below, and 20 by an administrator.
    const adds: Promise<unknown>[] = [];
    for (const u of reactors) for (const r of ['like', 'heart', 'smile']) {
      hold(r, u, true);
      adds.push(devices.get(u)![0].chat.addMessageReaction(got.get(u) as never, r));
    }
    hold('zap', 'rbu4', true);
    adds.push(devices.get('rbu4')![0].chat.addMessageReaction(got.get('rbu4') as never, 'zap'));
    offline.forEach((u, i) => {
      hold(i % 2 ? 'like' : 'heart', u, true);
      adds.push(adminChange('add', u, i % 2 ? 'like' : 'heart').then((a) => expect(a.ErrorCode).to.equal(0)));
    });
    await Promise.all(adds);

    // Then a burst of removals, again at once: the last holder of `zap` leaves it at 0.
    const removals: [string, string][] = [['rbu1', 'heart'], ['rbu2', 'like'], ['rbu3', 'smile'], ['rbu4', 'zap'], ['rbu1', 'smile']];
    await Promise.all([
      ...removals.map(([u, r]) => {
        hold(r, u, false);
        return devices.get(u)![0].chat.removeMessageReaction(got.get(u) as never, r);
      }),
      ...offline.slice(0, 6).map((u, i) => {
        hold(i % 2 ? 'like' : 'heart', u, false);
        return adminChange('del', u, i % 2 ? 'like' : 'heart');
      }),
    ]);

    const want = (user: string): Shown => Object.fromEntries([...held].map(([r, users]) => [r, { total: users.size, me: users.has(user) }]));
    await settled(owner, sent.ID, want('rbowner'), 'owner');
    for (const [u, list] of devices) for (const [i, c] of list.entries()) await settled(c, sent.ID, want(u), `${u} device ${i + 1}`);

    // The stored truth agrees, and the owner's device never got another user's MsgReactionNotify.
    const stored = ((await owner.chat.getMessageReactions({ messageList: [sent as never], maxUserCountPerReaction: 10 })).data as Summary).resultList[0].reactionList;
    const nonZero = Object.fromEntries([...held].filter(([, users]) => users.size > 0).map(([r, users]) => [r, users.size]));
    expect(Object.fromEntries(stored.map((r) => [r.reactionID, r.totalUserCount]))).to.deep.equal(nonZero);
    expect(ownerFrames.filter((f) => f.includes('MsgReactionNotifyList')).length).to.be.greaterThan(0);
    expect(ownerFrames.some((f) => f.includes('"MsgReactionNotify"'))).to.equal(false);
  });
});
