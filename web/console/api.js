// The console's calls to /console/api/….
//
// Signing in sends the UserSig once (POST api/session); the server answers with a short-lived
// sign-in cookie the page cannot read (HttpOnly). Every later call carries that cookie, and
// each write the header X-Parley-Console, which the server requires against cross-site use.

/** @type {{ sdkappid: string, identifier: string } | null} */
let who = null;

// Visible ASCII but the comma. Real credentials are digits, letters and Tencent's base64 (with *, - and _).
const PRINTABLE = /^[\x21-\x2b\x2d-\x7e]+$/;
const LABELS = { sdkappid: 'SDKAppID', identifier: 'administrator', usersig: 'UserSig' };

/** A failed call: the server's ErrorCode and ErrorInfo, and whether signing in again may help. */
export class ApiError extends Error {
  constructor(code, info, status) {
    super(info);
    this.code = code;
    this.status = status;
    this.signInAgain = status === 401 || status === 403;
  }
}

async function call(method, resource, body) {
  const headers = { 'X-Parley-Console': '1' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`api/${resource}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store', credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'the server cannot be reached', 0);
  }
  let answer;
  try {
    answer = await res.json();
  } catch {
    throw new ApiError(0, `the server answered HTTP ${res.status} without JSON`, res.status);
  }
  if (answer.ActionStatus !== 'OK') throw new ApiError(answer.ErrorCode, answer.ErrorInfo, res.status);
  return answer;
}

/** Signs in with UserSig credentials; throws the server's refusal. */
export async function signIn(creds) {
  for (const [field, label] of Object.entries(LABELS)) {
    const value = creds[field];
    if (typeof value !== 'string' || !PRINTABLE.test(value)) throw new ApiError(0, `The ${label} is empty or holds characters it cannot hold.`, 0);
  }
  const answer = await call('POST', 'session', { sdkappid: creds.sdkappid, identifier: creds.identifier, usersig: creds.usersig });
  who = { sdkappid: String(answer.SdkAppId), identifier: answer.Identifier };
}

export async function signOut() {
  who = null;
  await call('DELETE', 'session').catch(() => undefined);
}

export const signedInAs = () => who;

/** Whether the browser still holds a valid sign-in (a reload, a new tab). */
export async function restore() {
  try {
    const answer = await call('GET', 'session');
    who = { sdkappid: String(answer.SdkAppId), identifier: answer.Identifier };
    return true;
  } catch {
    return false;
  }
}

/** { SdkAppId, Callback, Commands } of the signed-in app. */
export const readCallback = () => call('GET', 'callback');

/** Writes the fields of `patch` only; answers like readCallback, with the stored result. */
export const writeCallback = (patch) => call('PATCH', 'callback', patch);

/** [{ date, figures }] of the last `days` days, oldest first (figures in getappinfo's names). */
export const readDaily = async (days) => (await call('GET', `stats/daily?days=${days}`)).Days;

/** { online, minutes: [{ at, messages, logins }], position }. */
export const readLive = async () => (await call('GET', 'stats/live')).Live;

const q = (value) => encodeURIComponent(value);

/** { Account: { UserID, Imported, Profile, Status, Devices } }: account_check, portrait_get, query_online_status. */
export const readAccount = (id) => call('GET', `account?id=${q(id)}`);
export const kickAccount = (id) => call('POST', 'account/kick', { UserID: id });
export const deleteAccount = (id) => call('POST', 'account/delete', { UserID: id });

/** { Group, MemberNum, Members, Offset, PageSize }: get_group_info and get_group_member_info. */
export const readGroup = (id, offset = 0) => call('GET', `group?id=${q(id)}&offset=${offset}`);
export const disbandGroup = (id) => call('POST', 'group/disband', { GroupId: id });

/** { Messages, Complete, LastMsgKey }: admin_getroammsg as `account`, newest first; `before` pages on. */
export const readHistory = (account, peer, before = '') => call('GET', `messages?account=${q(account)}&peer=${q(peer)}${before ? `&before=${q(before)}` : ''}`);
export const recallMessage = (from, to, msgKey) => call('POST', 'messages/recall', { From_Account: from, To_Account: to, MsgKey: msgKey });

/** { Settings: { section: { field: value } }, Choices }; writeSettings sends changed fields only. */
export const readSettings = () => call('GET', 'settings');
export const writeSettings = (patch) => call('PATCH', 'settings', patch);

/** { Entries, Total, Next }: the audit log, newest first; `before` (a page's Next) pages on. */
export const readAudit = (before = 0, limit = 20) => call('GET', `audit?limit=${limit}${before ? `&before=${before}` : ''}`);

/** { Accounts: [{ UserID, Nick }], Next }: accounts whose nick starts with `nick`; `before` (a page's Next) pages on. */
export const searchNicks = (nick, before = 0) => call('GET', `accounts?nick=${q(nick)}${before ? `&before=${before}` : ''}`);
/** `{ UserID, Nick?, FaceUrl? }` (account_import) or `{ Accounts: [ids] }` (multiaccount_import: answers FailAccounts). */
export const importAccounts = (body) => call('POST', 'account/import', body);

/** { Messages, Complete, NextSeq }: group_msg_get_simple, newest first; `before` (a page's NextSeq) pages on. */
export const readGroupHistory = (id, before = 0, topic = '') => call('GET', `group/messages?id=${q(id)}${topic ? `&topic=${q(topic)}` : ''}${before ? `&before=${before}` : ''}`);
/** forbid_send_msg: `seconds` 0 unmutes. */
export const muteMember = (id, member, seconds) => call('POST', 'group/mute', { GroupId: id, Members_Account: [member], MuteTime: seconds });

/** { Push: { apns, fcm, webpush } } without private keys; writePush sends `{ provider: fields | null }`. */
export const readPush = () => call('GET', 'push');
export const writePush = (patch) => call('PATCH', 'push', patch);

/** { Apps: [{ SdkAppId, Admins, CreateTime, SignedIn }] }; create and rotate answer the SecretKey once. */
export const readApps = () => call('GET', 'apps');
export const createApp = (admins) => call('POST', 'apps/create', admins.length ? { Admins: admins } : {});
export const rotateSecret = (sdkAppId) => call('POST', 'apps/rotate', { SdkAppId: sdkAppId });
/** openconfigsvr/setnospeaking: `times` in seconds (C2CmsgNospeakingTime, GroupmsgNospeakingTime; 0 lifts). */
export const muteAccount = (id, times) => call('POST', 'account/mute', { UserID: id, ...times });
