/**
 * Offline push beyond plain messages, end to end over REST with the loopback APNs server
 * (test/support/push-servers.ts): the badge counts group unread too (only groups that notify
 * the user), call invitations ring their invitees (and their cancels ring nobody), and friend
 * requests reach the recipient's phone with the requester's nick. A recipient who never
 * registered a device costs the send path no push job.
 */
import crypto from 'node:crypto';
import { expect } from 'chai';
import type { App } from '../../actors/apps';
import { pushqKey, pushqKind, pushShardOf } from '../../actors/pushq';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { registeredOf } from '../../services/push/registered';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';
import { ApnsServer, apnsKeys, type Received } from '../support/push-servers';

const hex = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const text = (t: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text: t } }];
const ok = (a: Answer) => expect(a.ErrorCode, a.ErrorInfo).to.equal(0);
const alertOf = (r: Received) => (r.payload.aps as { alert: { title: string; body: string } }).alert;
const badgeOf = (r: Received) => (r.payload.aps as { badge?: number }).badge;

/** A TSignaling message (TUICallKit's shape): one custom element whose Data is the signal. */
function signal(actionType: number, inviter: string, invitees: string[], groupID = '') {
  const data = JSON.stringify({ version: 4, businessID: 'av_call', call_type: 2, room_id: 42, data: { cmd: 'videoCall', room_id: 42 } });
  const Data = JSON.stringify({ businessID: 1, inviteID: 'invite-7', inviter, actionType, inviteeList: invitees, data, timeout: 30, groupID });
  return [{ MsgType: 'TIMCustomElem', MsgContent: { Data, Desc: '', Ext: '' } }];
}

describe('offline push of badges with group unread, call invitations and friend requests (APNs on loopback)', function () {
  this.timeout(30_000);
  const keys = apnsKeys();
  const apns = new ApnsServer('TEAM123456', 'KEY1234567', keys.publicKey, 'com.example.chat');
  let server: Embedded;
  let rest: RestClient;
  let random = 1;
  const send = (from: string, to: string, body: object[]) => rest.call('openim/sendmsg', { From_Account: from, To_Account: to, MsgRandom: random++, MsgBody: body });
  const sendGroup = (groupId: string, from: string, body: object[]) => rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: from, Random: random++, MsgBody: body });
  const apnsTo = (user: string) => apns.received.filter((r) => r.token === hex(user));
  const pushed = (user: string, body: string) => apns.waitFor(`"${body}" pushed to ${user}`, () => apnsTo(user).some((r) => alertOf(r).body === body));
  const group = async (name: string, members: string[]) => {
    const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Public', Name: name, MemberList: members.map((Member_Account) => ({ Member_Account })) });
    ok(created);
    return created.GroupId as string;
  };

  before(async () => {
    await apns.start();
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'conversations', 'friends', 'groups', 'push', 'pushdevices'] });
    rest = adminRest(server);
    const push = { apns: { teamId: 'TEAM123456', keyId: 'KEY1234567', key: keys.key, bundleId: 'com.example.chat', production: false, endpoint: apns.endpoint }, retryBaseMs: 20, retryMaxMs: 100 };
    const app = await server.broker.call<App, object>('apps.update', { sdkAppId: server.app.sdkAppId, settings: { push } });
    for (let i = 0; JSON.stringify((await server.broker.call<App, object>('apps.get', { sdkAppId: server.app.sdkAppId })).settings) !== JSON.stringify(app.settings); i++) {
      if (i > 500) throw new Error('the app directory never saw the push settings');
      await new Promise((r) => setTimeout(r, 5));
    }
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'eve', 'frank', 'gina'] }));
    ok(await rest.call('im_open_login_svc/account_import', { UserID: 'hank', Nick: 'Hank Hill' }));
    for (const user of ['eve', 'frank', 'gina']) ok(await rest.call('parley_push/set_token', { UserID: user, Provider: 'apns', Token: hex(user), InstId: `${user}-phone` }));
  });
  after(async () => {
    await server?.stop();
    await apns.stop();
  });

  it('counts the unread of notifying groups in the badge, not of groups set to AcceptNotNotify, and drops what was read', async () => {
    const loud = await group('Loud', ['eve']);
    const quiet = await group('Quiet', ['eve']);
    ok(await rest.call('group_open_http_svc/modify_group_member_info', { GroupId: quiet, Member_Account: 'eve', MsgFlag: 'AcceptNotNotify' }));
    ok(await sendGroup(loud, 'alice', text('loud 1')));
    ok(await sendGroup(loud, 'alice', text('loud 2')));
    ok(await sendGroup(quiet, 'alice', text('quiet 1')));
    await pushed('eve', 'alice: loud 2');
    ok(await send('alice', 'eve', text('one to one')));
    await pushed('eve', 'one to one');
    // 1 one-to-one + 2 in Loud; Quiet's message neither pushes nor counts.
    expect(badgeOf(apnsTo('eve').find((r) => alertOf(r).body === 'one to one') as Received)).to.equal(3);
    expect(apnsTo('eve').map((r) => alertOf(r).body)).to.not.include('alice: quiet 1');
    ok(await rest.call('group_open_http_svc/set_unread_msg_num', { GroupId: loud, Member_Account: 'eve', UnreadMsgNum: 0 }));
    ok(await send('alice', 'eve', text('after reading Loud')));
    await pushed('eve', 'after reading Loud');
    expect(badgeOf(apnsTo('eve').find((r) => alertOf(r).body === 'after reading Loud') as Received)).to.equal(2);
  });

  it('rings a one-to-one call invitation ("[Video call]", kind call, inviteID, expiring with its timeout), and not its cancel', async () => {
    const sentAt = Math.floor(Date.now() / 1000);
    ok(await send('alice', 'frank', signal(1, 'alice', ['frank'])));
    await pushed('frank', '[Video call]');
    const invite = apnsTo('frank').find((r) => alertOf(r).body === '[Video call]') as Received;
    expect(alertOf(invite).title).to.equal('alice');
    expect(invite.payload).to.include({ kind: 'call', inviteID: 'invite-7', conversationID: 'C2Calice' });
    const expiry = Number(invite.headers['apns-expiration']);
    expect(expiry).to.be.within(sentAt + 29, sentAt + 32);
    const before = apnsTo('frank').length;
    ok(await send('alice', 'frank', signal(2, 'alice', ['frank'])));
    ok(await send('alice', 'frank', text('marker after the cancel')));
    await pushed('frank', 'marker after the cancel');
    expect(apnsTo('frank').slice(before).map((r) => alertOf(r).body)).to.deep.equal(['marker after the cancel']);
  });

  it('rings a group call invitation on its invitees only, even one who is notified only when @-mentioned', async () => {
    const room = await group('Call room', ['frank', 'gina']);
    ok(await rest.call('group_open_http_svc/modify_group_member_info', { GroupId: room, Member_Account: 'gina', MsgFlag: 'AcceptNotNotifyExceptAt' }));
    const frankBefore = apnsTo('frank').length;
    ok(await sendGroup(room, 'alice', signal(1, 'alice', ['gina'], room)));
    await pushed('gina', 'alice: [Video call]');
    ok(await sendGroup(room, 'alice', text('marker for frank')));
    await pushed('frank', 'alice: marker for frank');
    expect(apnsTo('frank').slice(frankBefore).map((r) => alertOf(r).body)).to.deep.equal(['alice: marker for frank']);
    expect(apnsTo('gina').find((r) => alertOf(r).body === 'alice: [Video call]')?.payload).to.include({ kind: 'call', conversationID: `GROUP${room}` });
  });

  it('writes no push job for a recipient who never registered a device, and one once they do', async () => {
    const app = server.app.sdkAppId;
    // The process reads the registrations once, on first use; until then every recipient counts.
    for (let i = 0; registeredOf(server.broker).mayHave(app, 'nobody'); i++) {
      if (i > 500) throw new Error('the registrations were never read');
      await new Promise((r) => setTimeout(r, 5));
    }
    const stream = `${pushqKind.name}:${pushqKey(app, pushShardOf('hank'))}`;
    const version = () => runtimeOf(server.broker).store.version(stream);
    const before = await version();
    ok(await send('alice', 'hank', text('to a user without a phone')));
    expect(await version()).to.equal(before);
    ok(await rest.call('parley_push/set_token', { UserID: 'hank', Provider: 'apns', Token: hex('hank'), InstId: 'hank-phone' }));
    ok(await send('alice', 'hank', text('to hank with a phone')));
    await pushed('hank', 'to hank with a phone');
  });

  it("pushes a friend request to its recipient: the requester's nick, the AddWording, no badge change", async () => {
    const answer = await rest.call('sns/friend_add', { From_Account: 'hank', AddFriendItem: [{ To_Account: 'gina', AddSource: 'AddSource_Type_Web', AddWording: 'we met at the crag' }] });
    ok(answer);
    await pushed('gina', 'we met at the crag');
    const r = apnsTo('gina').find((p) => alertOf(p).body === 'we met at the crag') as Received;
    expect(alertOf(r).title).to.equal('Hank Hill');
    expect(r.payload).to.include({ kind: 'friend', from: 'hank' });
    expect(badgeOf(r)).to.equal(undefined);
  });
});
