/**
 * One-to-one sends and the relationship chain: the recipient's blocklist (20007) and the
 * app's friends-only switch with its one-way cases (20009, 20010, 20011).
 */
import { expect } from 'chai';
import { RestClient, REST_SERVICES, startEmbedded, type Embedded } from '../support/embedded';
import { tencentUserSig } from '../support/tencent-sig';

const random = () => Math.floor(Math.random() * 0xffffffff);

describe('REST one-to-one messages and relationships (e2e)', function () {
  this.timeout(30_000);
  let server: Embedded;
  let rest: RestClient;
  const send = (from: string | undefined, to: string) =>
    rest.call('openim/sendmsg', { ...(from ? { From_Account: from } : {}), To_Account: to, MsgRandom: random(), MsgBody: [{ MsgType: 'TIMTextElem', MsgContent: { Text: 'hi' } }] });
  const befriend = (from: string, to: string, AddType: 'Add_Type_Single' | 'Add_Type_Both') =>
    rest.call('sns/friend_add', { From_Account: from, AddFriendItem: [{ To_Account: to, AddSource: 'AddSource_Type_Test' }], AddType, ForceAddFlags: 1 });
  const friendsOnly = async (on: boolean) => {
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { relations: { c2cFriendsOnly: on } } });
    await new Promise((r) => setTimeout(r, 100));
  };

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'messages', 'inboxes', 'friends'] });
    rest = new RestClient(server.baseUrl, server.app, (userId) => tencentUserSig({ sdkAppId: server.app.sdkAppId, key: server.app.secret, userId }));
    await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['ann', 'ben', 'cat', 'dan', 'eve'] });
  });
  after(() => server?.stop());

  it('refuses a send to someone who blocked the sender with 20007, and allows it again after unblocking', async () => {
    expect((await rest.call('sns/black_list_add', { From_Account: 'ben', To_Account: ['ann'] })).ErrorCode).to.equal(0);
    expect((await send('ann', 'ben')).ErrorCode).to.equal(20007);
    expect((await send('ben', 'ann')).ErrorCode, 'the blocker may still write').to.equal(0);
    await rest.call('sns/black_list_delete', { From_Account: 'ben', To_Account: ['ann'] });
    expect((await send('ann', 'ben')).ErrorCode).to.equal(0);
  });

  it('refuses the next send once the recipient blocks a sender it accepted a moment before (the node caches the check)', async () => {
    expect((await send('dan', 'eve')).ErrorCode).to.equal(0);
    expect((await send('dan', 'eve')).ErrorCode).to.equal(0);
    expect((await rest.call('sns/black_list_add', { From_Account: 'eve', To_Account: ['dan'] })).ErrorCode).to.equal(0);
    expect((await send('dan', 'eve')).ErrorCode).to.equal(20007);
    await rest.call('sns/black_list_delete', { From_Account: 'eve', To_Account: ['dan'] });
    expect((await send('dan', 'eve')).ErrorCode).to.equal(0);
  });

  it('lets the administrator, sending as itself, write to anyone', async () => {
    await rest.call('sns/black_list_add', { From_Account: 'eve', To_Account: [server.app.admin] });
    expect((await send(undefined, 'eve')).ErrorCode).to.equal(0);
  });

  const rows: [string, string, string, number][] = [
    ['strangers', 'cat', 'dan', 20009],
    ['only the sender has the recipient', 'ann', 'cat', 20010],
    ['only the recipient has the sender', 'dan', 'ann', 20011],
    ['friends both ways', 'cat', 'eve', 0],
  ];

  describe('with friends-only on', () => {
    before(async () => {
      await befriend('ann', 'cat', 'Add_Type_Single');
      await befriend('ann', 'dan', 'Add_Type_Single');
      await befriend('cat', 'eve', 'Add_Type_Both');
      await friendsOnly(true);
    });
    after(() => friendsOnly(false));

    for (const [relation, from, to, code] of rows) {
      it(`answers ${code} when ${relation}`, async () => {
        expect((await send(from, to)).ErrorCode).to.equal(code);
      });
    }
  });

  it('lets strangers write to each other when friends-only is off (the default)', async () => {
    expect((await send('cat', 'dan')).ErrorCode).to.equal(0);
  });
});
