/**
 * The set-up the SDK group tests share: a node of their own, imported users, one group of them
 * made over REST, and SDK clients logged in as some of them; the mocha hooks that start and end
 * it are registered by the call, so a suite uses the fields in its own hooks and tests.
 */
import { startParley, type Parley } from '../e2e/ws-harness';
import { sdkLogin, type SdkClient } from './sdk';

export interface SdkGroupSetup {
  sdkAppId: number;
  /** Every account imported; the first owns the group. */
  users: string[];
  /** The owner's fellow members (default: none). */
  members: string[];
  type: 'Work' | 'Public' | 'Meeting';
  name: string;
  /** Logged in over the SDK before the tests, in this order. */
  login: string[];
}

export interface SdkGroup {
  parley: Parley;
  groupID: string;
  /** The logged-in clients in `login` order; more can be pushed, all are destroyed at the end. */
  clients: SdkClient[];
}

export function sdkGroupFixture(setup: SdkGroupSetup): SdkGroup {
  const group = { clients: [] as SdkClient[] } as SdkGroup;
  before(async () => {
    group.parley = await startParley({}, setup.sdkAppId);
    await group.parley.rest('im_open_login_svc/multiaccount_import', { Accounts: setup.users });
    const created = await group.parley.rest<{ GroupId: string }>('group_open_http_svc/create_group', {
      Owner_Account: setup.users[0],
      Type: setup.type,
      Name: setup.name,
      MemberList: setup.members.map((Member_Account) => ({ Member_Account })),
    });
    group.groupID = created.GroupId;
    // One at a time, so clients[i] is login[i]; each is in the list as soon as it exists.
    for (const user of setup.login) await sdkLogin(group.parley, user, group.clients);
  });
  after(async () => {
    await Promise.all(group.clients.splice(0).map((c) => c.destroy()));
    await group.parley?.stop();
  });
  return group;
}
