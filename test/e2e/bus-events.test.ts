/**
 * The after-commit events other contexts subscribe to (services/events.ts): each is published
 * once its append is durable, with the data a subscriber acts on — offline push will need the
 * message, its sender and recipients without reading the actor back.
 */
import { expect } from 'chai';
import type { Context } from 'moleculer';
import { BUS } from '../../services/events';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const text = (Text: string) => [{ MsgType: 'TIMTextElem', MsgContent: { Text } }];

describe('after-commit bus events (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const seen: { event: string; params: Record<string, unknown> }[] = [];
  const waiters: (() => void)[] = [];

  /** Resolves with the first event named `event` whose params satisfy `match`, seen before or after. */
  function next(event: string, match: (p: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      const look = () => {
        const hit = seen.find((s) => s.event === event && match(s.params));
        if (!hit) return false;
        resolve(hit.params);
        return true;
      };
      if (!look()) waiters.push(() => void look());
    });
  }

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'groups', 'friends', 'profiles'] });
    const events = Object.fromEntries(
      Object.values(BUS).map((event) => [
        event,
        (ctx: Context<Record<string, unknown>>) => {
          seen.push({ event, params: ctx.params });
          for (const w of waiters.splice(0)) w();
        },
      ]),
    );
    server.broker.createService({ name: 'bus-spy', events });
    rest = adminRest(server);
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['alice', 'bob', 'carol'] }));
  });
  after(() => server?.stop());

  it('publishes a stored one-to-one message with its sender, recipient, sequence and body', async () => {
    ok(await rest.call('openim/sendmsg', { From_Account: 'alice', To_Account: 'bob', MsgRandom: 7, MsgBody: text('hello bob'), OfflinePushInfo: { Desc: 'hi' } }));
    const p = await next(BUS.C2C_SENT, (x) => (x.message as { to: string }).to === 'bob');
    expect(p.app).to.equal(server.app.sdkAppId);
    expect(p.message).to.include({ from: 'alice', to: 'bob', seq: 1, random: 7 });
    expect(JSON.parse((p.message as { body: string }).body)).to.deep.equal(text('hello bob'));
    expect(JSON.parse((p.message as { offlinePush: string }).offlinePush)).to.include({ Desc: 'hi' });
  });

  it('publishes a recall naming the message’s sender and recipient, and a read mark with the reader’s sequence', async () => {
    const sent = await rest.call('openim/sendmsg', { From_Account: 'carol', To_Account: 'bob', MsgRandom: 8, MsgBody: text('oops') });
    ok(sent);
    ok(await rest.call('openim/admin_msgwithdraw', { From_Account: 'carol', To_Account: 'bob', MsgKey: sent.MsgKey }));
    expect(await next(BUS.C2C_RECALLED)).to.include({ app: server.app.sdkAppId, from: 'carol', to: 'bob', msgKey: sent.MsgKey, seq: 1 });
    ok(await rest.call('openim/admin_set_msg_read', { Report_Account: 'bob', Peer_Account: 'carol' }));
    expect(await next(BUS.C2C_READ)).to.include({ reader: 'bob', peer: 'carol', seq: 1 });
  });

  it('publishes a stored group message with the group’s type, and members joining and leaving', async () => {
    const created = await rest.call('group_open_http_svc/create_group', { Owner_Account: 'alice', Type: 'Work', Name: 'bus', MemberList: [{ Member_Account: 'bob' }] });
    ok(created);
    const groupId = created.GroupId as string;
    expect(await next(BUS.GROUP_JOINED, (x) => x.groupId === groupId)).to.deep.include({ groupType: 'Work', users: ['alice', 'bob'], how: 'create' });
    ok(await rest.call('group_open_http_svc/send_group_msg', { GroupId: groupId, From_Account: 'bob', Random: 9, MsgBody: text('to all') }));
    const p = await next(BUS.GROUP_SENT, (x) => x.groupId === groupId);
    expect(p).to.include({ app: server.app.sdkAppId, groupType: 'Work' });
    expect(p.message).to.include({ from: 'bob', random: 9 });
    ok(await rest.call('group_open_http_svc/add_group_member', { GroupId: groupId, MemberList: [{ Member_Account: 'carol' }] }));
    expect(await next(BUS.GROUP_JOINED, (x) => x.groupId === groupId && (x.users as string[]).includes('carol'))).to.deep.include({ users: ['carol'] });
    ok(await rest.call('group_open_http_svc/delete_group_member', { GroupId: groupId, MemberToDel_Account: ['carol'] }));
    expect(await next(BUS.GROUP_LEFT, (x) => x.groupId === groupId)).to.deep.include({ users: ['carol'] });
  });

  it('publishes a profile change with the fields that changed, and nothing for a change to the same values', async () => {
    const set = (Value: string) => rest.call('profile/portrait_set', { From_Account: 'alice', ProfileItem: [{ Tag: 'Tag_Profile_IM_Nick', Value }] });
    ok(await set('Alice'));
    expect(await next(BUS.PROFILE_CHANGED)).to.deep.include({ userId: 'alice', items: [{ Tag: 'Tag_Profile_IM_Nick', Value: 'Alice' }] });
    ok(await set('Alice'));
    // Ordered after the unchanged set by the same actor: when this one arrives, the other would have.
    ok(await set('Alice B'));
    await next(BUS.PROFILE_CHANGED, (x) => (x.items as { Value: string }[])[0].Value === 'Alice B');
    expect(seen.filter((s) => s.event === BUS.PROFILE_CHANGED).map((s) => (s.params.items as { Value: string }[])[0].Value)).to.deep.equal(['Alice', 'Alice B']);
  });

  it('broadcasts an app change naming the app', async () => {
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { rateLimits: { default: 500 } } });
    expect(await next(BUS.APPS_CHANGED, (x) => x.sdkAppId === server.app.sdkAppId)).to.deep.equal({ sdkAppId: server.app.sdkAppId });
  });
});
