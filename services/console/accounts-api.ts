/**
 * The console's accounts page: one account by ID (import status, profile, online devices),
 * kick and delete. Each step is the REST command an app backend would call
 * (im_open_login_svc/account_check, profile/portrait_get, openim/query_online_status,
 * im_open_login_svc/kick, im_open_login_svc/account_delete), run by commands-api.ts.
 */
import type { ServiceBroker } from 'moleculer';
import type { Admin } from '../rest/admin-auth';
import { onlyItem, runCommand, type Answer } from './commands-api';

/** The standard profile fields the page shows (custom Tag_Profile_Custom_* are not listed). */
const PROFILE_TAGS = [
  'Tag_Profile_IM_Nick',
  'Tag_Profile_IM_Gender',
  'Tag_Profile_IM_BirthDay',
  'Tag_Profile_IM_Location',
  'Tag_Profile_IM_SelfSignature',
  'Tag_Profile_IM_AllowType',
  'Tag_Profile_IM_Language',
  'Tag_Profile_IM_Image',
  'Tag_Profile_IM_AdminForbidType',
  'Tag_Profile_IM_Level',
  'Tag_Profile_IM_Role',
];

export async function accountAnswer(broker: ServiceBroker, admin: Admin, userId: string, requestId: string): Promise<Answer> {
  const run = (command: string, body: Answer) => runCommand(broker, admin, command, body, requestId);
  const check = onlyItem(await run('im_open_login_svc/account_check', { CheckItem: [{ UserID: userId }] }), 'ResultItem');
  if (check.AccountStatus !== 'Imported') return { Account: { UserID: userId, Imported: false } };
  const [profile, online] = await Promise.all([
    run('profile/portrait_get', { To_Account: [userId], TagList: PROFILE_TAGS }),
    run('openim/query_online_status', { To_Account: [userId], IsNeedDetail: 1 }),
  ]);
  const item = onlyItem(profile, 'UserProfileItem');
  const status = (online.QueryResult as Answer[] | undefined)?.[0];
  return {
    Account: {
      UserID: userId,
      Imported: true,
      Profile: (item.ProfileItem as Answer[] | undefined) ?? [],
      Status: status?.Status ?? 'Offline',
      Devices: (status?.Detail as Answer[] | undefined) ?? [],
    },
  };
}

/** POST account/kick and account/delete, body `{ UserID }`. */
export async function accountWrite(broker: ServiceBroker, admin: Admin, action: 'kick' | 'delete', body: Answer, requestId: string): Promise<Answer> {
  if (action === 'kick') await runCommand(broker, admin, 'im_open_login_svc/kick', { UserID: body.UserID }, requestId);
  else onlyItem(await runCommand(broker, admin, 'im_open_login_svc/account_delete', { DeleteItem: [{ UserID: body.UserID }] }, requestId), 'ResultItem');
  return { UserID: body.UserID };
}
