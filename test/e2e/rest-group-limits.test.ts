/**
 * The seed's limit on groups per user (app setting groups.joinedGroupsPerUser, default 3,000)
 * through the REST API: creating, being added, applying and importing stop at the limit with
 * Tencent's 10037 (or a failed member result), live rooms stay open, and leaving frees a place.
 */
import { expect } from 'chai';
import { adminRest, REST_SERVICES, startEmbedded, type Answer, type Embedded, type RestClient } from '../support/embedded';

const ok = (a: Answer) => expect(a, a.ErrorInfo).to.include({ ActionStatus: 'OK', ErrorCode: 0 });
const G = 'group_open_http_svc';

describe('REST groups per user limit (e2e)', function () {
  this.timeout(20_000);
  let server: Embedded;
  let rest: RestClient;
  const call = (cmd: string, body: object) => rest.call(`${G}/${cmd}`, body);
  const create = (Owner_Account: string, Type = 'Public', extra: object = {}) => call('create_group', { Owner_Account, Type, Name: 'g', ApplyJoinOption: 'FreeAccess', ...extra });
  let first = '';
  let free = '';

  before(async () => {
    server = await startEmbedded({ services: [...REST_SERVICES, 'groups'] });
    rest = adminRest(server);
    ok(await rest.call('im_open_login_svc/multiaccount_import', { Accounts: ['full', 'other', 'host'] }));
    await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { joinedGroupsPerUser: 2 } } });
    first = (await create('full')).GroupId as string;
    ok(await create('full'));
    free = (await create('host')).GroupId as string;
  });
  after(() => server?.stop());

  it('refuses creating a group for a user in as many groups as allowed, with 10037', async () => {
    expect((await create('full')).ErrorCode).to.equal(10037);
    expect((await create('host', 'Public', { MemberList: [{ Member_Account: 'full' }] })).ErrorCode).to.equal(10037);
  });

  it('adds the others and fails only that user when a group adds members', async () => {
    const added = await call('add_group_member', { GroupId: free, MemberList: [{ Member_Account: 'full' }, { Member_Account: 'other' }] });
    expect(added.MemberList).to.deep.equal([{ Member_Account: 'full', Result: 0 }, { Member_Account: 'other', Result: 1 }]);
    const imported = await call('import_group_member', { GroupId: free, MemberList: [{ Member_Account: 'full' }] });
    expect(imported.MemberList).to.deep.equal([{ Member_Account: 'full', Result: 0 }]);
    const roles = await call('get_role_in_group', { GroupId: free, User_Account: ['full'] });
    expect(roles.UserIdList).to.deep.equal([{ Member_Account: 'full', Role: 'NotMember' }]);
  });

  it('refuses applying with 10037, yet lets the user into a live room', async () => {
    expect((await call('apply_join_group', { GroupId: free, From_Account: 'full' })).ErrorCode).to.equal(10037);
    const room = (await create('host', 'AVChatRoom')).GroupId as string;
    ok(await call('apply_join_group', { GroupId: room, From_Account: 'full' }));
  });

  it('frees a place when the user leaves a group', async () => {
    ok(await call('destroy_group', { GroupId: first }));
    ok(await call('apply_join_group', { GroupId: free, From_Account: 'full' }));
  });

  it('refuses a limit out of range in the app settings', async () => {
    const refused = await server.broker.call('apps.update', { sdkAppId: server.app.sdkAppId, settings: { groups: { joinedGroupsPerUser: 0 } } }).then(() => 'stored', (err: Error) => err.message);
    expect(refused).to.not.equal('stored');
  });
});
