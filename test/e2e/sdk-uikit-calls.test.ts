/**
 * Calls Tencent's Chat UIKit makes through the SDK in its own way, which Parley must take as
 * Tencent does (found by driving the UIKit in a browser, test/e2e/uikit-browser.slow.ts).
 */
import { expect } from 'chai';
import { sdkLogin, type SdkClient } from '../support/sdk';
import { startParley, type Parley } from './ws-harness';

describe('SDK calls of the Chat UIKit (e2e)', function () {
  this.timeout(30_000);
  let parley: Parley;
  const clients: SdkClient[] = [];

  before(async () => {
    parley = await startParley({}, 1400000093);
    const imported = await parley.rest<{ ErrorCode: number }>('im_open_login_svc/multiaccount_import', { Accounts: ['kitowner', 'kitmember'] });
    expect(imported.ErrorCode, JSON.stringify(imported)).to.equal(0);
  });
  after(async () => {
    await Promise.all(clients.splice(0).map((c) => c.destroy()));
    await parley?.stop();
  });

  it('creates a group with a generated ID when the app passes an empty groupID, as the UIKit does', async () => {
    const owner = await sdkLogin(parley, 'kitowner', clients);
    const T = owner.TencentCloudChat.TYPES;
    const created = (await owner.chat.createGroup({ type: T.GRP_WORK, name: 'Kit', groupID: '', memberList: [{ userID: 'kitmember' }] })) as { data: { group: { groupID: string; memberCount: number } } };
    expect(created.data.group.groupID).to.match(/^@TGS#/);
    const profile = (await owner.chat.getGroupProfile({ groupID: created.data.group.groupID })) as { data: { group: { name: string; memberCount: number } } };
    expect(profile.data.group).to.include({ name: 'Kit', memberCount: 2 });
  });

  it('takes an empty GroupId on REST create_group the same way, and still refuses a bad custom ID', async () => {
    const made = await parley.rest<{ ErrorCode: number; GroupId: string }>('group_open_http_svc/create_group', { Owner_Account: 'kitowner', Type: 'Public', Name: 'Rest kit', GroupId: '' });
    expect(made.ErrorCode, JSON.stringify(made)).to.equal(0);
    expect(made.GroupId).to.match(/^@TGS#/);
    const bad = await parley.rest<{ ErrorCode: number }>('group_open_http_svc/create_group', { Owner_Account: 'kitowner', Type: 'Public', Name: 'Bad', GroupId: '@TGS#mine' });
    expect(bad.ErrorCode).to.not.equal(0);
  });
});
