/** Request bodies of the unread count and of the SDK's sync. */
import { userIdRule } from '../accounts/bodies';

export interface UnreadBody {
  To_Account: string;
  Peer_Account?: string[];
}
export const unreadBody = { To_Account: userIdRule, Peer_Account: { type: 'array', items: 'string', max: 100, optional: true } };

export interface GetMsgBody {
  Cookie?: string;
  SyncFlag?: number;
}
// Cookies are what getmsg gave out (sync.ts): at most `<15 digits>:<15 digits>`.
export const getMsgBody = { Cookie: { type: 'string', optional: true, max: 64 }, SyncFlag: { type: 'number', optional: true } };
