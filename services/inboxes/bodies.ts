/** Request bodies of the recent-contact and unread commands, and the SDK's sync. */
import { userIdRule } from '../accounts/bodies';

export interface ContactListBody {
  From_Account: string;
  TimeStamp?: number;
  StartIndex?: number;
  TopTimeStamp?: number;
  TopStartIndex?: number;
  AssistFlags?: number;
}
const paging = {
  TimeStamp: { type: 'number', integer: true, min: 0, optional: true },
  StartIndex: { type: 'number', integer: true, min: 0, optional: true },
  TopTimeStamp: { type: 'number', integer: true, min: 0, optional: true },
  TopStartIndex: { type: 'number', integer: true, min: 0, optional: true },
  AssistFlags: { type: 'number', integer: true, min: 0, optional: true },
};
export const contactListBody = { From_Account: userIdRule, ...paging };

export interface ContactDeleteBody {
  From_Account: string;
  Type: number;
  To_Account?: string;
  ClearRamble?: number;
}
export const contactDeleteBody = {
  From_Account: userIdRule,
  Type: { type: 'enum', values: [1, 2] },
  To_Account: { ...userIdRule, optional: true },
  ToGroupid: { type: 'string', optional: true },
  ClearRamble: { type: 'number', integer: true, min: 0, max: 1, optional: true },
};

export interface UnreadBody {
  To_Account: string;
  Peer_Account?: string[];
}
export const unreadBody = { To_Account: userIdRule, Peer_Account: { type: 'array', items: 'string', max: 100, optional: true } };

export interface GetMsgBody {
  Cookie?: string;
  SyncFlag?: number;
}
export const getMsgBody = { Cookie: { type: 'string', optional: true }, SyncFlag: { type: 'number', optional: true } };
