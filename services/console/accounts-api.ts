/**
 * The console's accounts page: one account by ID (import status, profile, online devices),
 * kick and delete. Each step is the REST command an app backend would call
 * (im_open_login_svc/account_check, profile/portrait_get, openim/query_online_status,
 * im_open_login_svc/kick, im_open_login_svc/account_delete), run by commands-api.ts.
 */
import type { ServiceBroker } from 'moleculer';
import { REST, Refusal, type Admin } from '../rest/admin-auth';
import { searchNick } from '../accounts/client';
import { CommandRefused, idParam, onlyItem, runCommand, type Answer } from './commands-api';

/** Tencent's "invalid parameter" of the account service; 60002, a command this cluster does not serve. */
const INVALID = 70402;
const NOT_SERVED = 60002;

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
  const [profile, online, mutes] = await Promise.all([
    run('profile/portrait_get', { To_Account: [userId], TagList: PROFILE_TAGS }),
    run('openim/query_online_status', { To_Account: [userId], IsNeedDetail: 1 }),
    // A cluster whose nodes predate the global mute does not serve it: the page then hides it.
    run('openconfigsvr/getnospeaking', { Get_Account: userId }).catch((err: unknown) => {
      if (err instanceof CommandRefused && err.data.code === NOT_SERVED) return undefined;
      throw err;
    }),
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
      ...(mutes ? { NoSpeaking: { C2CmsgNospeakingTime: mutes.C2CmsgNospeakingTime, GroupmsgNospeakingTime: mutes.GroupmsgNospeakingTime } } : {}),
    },
  };
}

/** POST account/kick and account/delete, body `{ UserID }`. */
export async function accountWrite(broker: ServiceBroker, admin: Admin, action: 'kick' | 'delete', body: Answer, requestId: string): Promise<Answer> {
  if (action === 'kick') await runCommand(broker, admin, 'im_open_login_svc/kick', { UserID: body.UserID }, requestId);
  else onlyItem(await runCommand(broker, admin, 'im_open_login_svc/account_delete', { DeleteItem: [{ UserID: body.UserID }] }, requestId), 'ResultItem');
  return { UserID: body.UserID };
}

/** Accounts a nick search answers per page. */
const NICK_PAGE = 20;
/** Wildcards mean nothing in a nick search (it is a prefix, typed as is): refused rather than silently matched literally. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const NOT_IN_QUERY = /[*?%\u0000-\u001f\u007f]/;

/**
 * GET accounts?nick=Q[&before=N]: accounts whose nick starts with Q (case ignored), 20 a page,
 * from the app's nick directory (services/accounts/nick-directory.ts): an index range, never a
 * scan of profiles. The query reaches the store only as a hash, never as SQL text.
 */
export async function nickSearchAnswer(broker: ServiceBroker, admin: Admin, query: URLSearchParams): Promise<Answer> {
  const nick = idParam(query, 'nick');
  if (nick.trim() === '' || [...nick].length > 100) throw new CommandRefused(INVALID, 'a nick search is 1 to 100 characters');
  if (NOT_IN_QUERY.test(nick)) throw new CommandRefused(INVALID, 'a nick search is the start of a nick, typed as is: no wildcards (* ? %) or control characters');
  const before = query.getAll('before');
  if (before.length > 1 || (before.length === 1 && !/^[1-9]\d{0,14}$/.test(before[0]))) throw new Refusal(REST.BAD_URL, 'before must be one whole number (a page\'s Next)');
  const page = await searchNick(broker, { app: admin.app.sdkAppId, query: nick, limit: NICK_PAGE, ...(before.length ? { before: Number(before[0]) } : {}) });
  return { Accounts: page.accounts, ...(page.next === undefined ? {} : { Next: page.next }) };
}

/**
 * POST account/import: `{ UserID, Nick?, FaceUrl? }` runs account_import; `{ Accounts: [ids] }`
 * runs multiaccount_import (up to its own batch limit), answering the IDs it refused.
 */
export async function importAccounts(broker: ServiceBroker, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  if ('Accounts' in body) {
    const result = await runCommand(broker, admin, 'im_open_login_svc/multiaccount_import', { Accounts: body.Accounts }, requestId);
    return { FailAccounts: result.FailAccounts ?? [] };
  }
  await runCommand(broker, admin, 'im_open_login_svc/account_import', body, requestId);
  return { UserID: body.UserID };
}

/**
 * POST account/mute, body `{ UserID, C2CmsgNospeakingTime?, GroupmsgNospeakingTime? }`: the
 * account's global mute, through openconfigsvr/setnospeaking (seconds; 0 lifts, 4294967295 is
 * for ever; a field left out keeps its mute).
 */
export async function muteAccount(broker: ServiceBroker, admin: Admin, body: Answer, requestId: string): Promise<Answer> {
  const { UserID, ...times } = body;
  await runCommand(broker, admin, 'openconfigsvr/setnospeaking', { Set_Account: UserID, ...times }, requestId);
  return { UserID };
}
