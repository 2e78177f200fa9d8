/**
 * The SDK's relationship-chain pushes (servcmd im_open_push.msg_push), one
 * typed builder each. Facts from @tencentcloud/chat 3.6.6: an EventArray item carrying
 * `FriendListMod` (a list of changes, each with a PushType) reaches the friend, pending-request
 * and blocklist caches (profile changes: services/profiles/pushes.ts). The SDK camel-cases every key (`FriendAdd_Account` → friendAddAccount), so the spelling
 * below is the contract — including Tencent's own `FrienPencydDel_Account`.
 */

/** PushType of a FriendListMod item; the SDK reads `From_Account` of 3 and 4, `ReportTime` of 7. */
export const PUSH_TYPE = {
  FRIEND_ADDED: 1,
  FRIEND_DELETED: 2,
  REQUEST_ADDED: 3,
  REQUEST_DELETED: 4,
  BLOCK_ADDED: 5,
  BLOCK_DELETED: 6,
  REQUESTS_READ: 7,
  FRIEND_UPDATED: 8,
} as const;

/** Event number of the items: any value the SDK does not treat specially (100, 24, 26, 14, 16). */
const EVENT_RELATIONS = 7;

export interface RequestPushItem {
  PendencyAdd_Account: string;
  ProfileImNick: string;
  ProfileImImage: string;
  AddSource: string;
  AddWording: string;
  AddTime: number;
}

export type FriendListMod =
  | { PushType: typeof PUSH_TYPE.FRIEND_ADDED; FriendAdd_Account: string[] }
  | { PushType: typeof PUSH_TYPE.FRIEND_DELETED; FriendDel_Account: string[] }
  /** From_Account = the sender of the request: the owner for requests they sent. */
  | { PushType: typeof PUSH_TYPE.REQUEST_ADDED; From_Account: string; PendencyAdd: RequestPushItem[] }
  | { PushType: typeof PUSH_TYPE.REQUEST_DELETED; From_Account: string; FrienPencydDel_Account: string[] }
  | { PushType: typeof PUSH_TYPE.BLOCK_ADDED; BlackListAdd_Account: string[] }
  | { PushType: typeof PUSH_TYPE.BLOCK_DELETED; BlackListDel_Account: string[] }
  | { PushType: typeof PUSH_TYPE.REQUESTS_READ; ReportTime: number }
  | { PushType: typeof PUSH_TYPE.FRIEND_UPDATED; FriendUpInfo: { FriendAccount: string; Sns: { Tag: string; Value: unknown }[] }[] };

export function relationsPush(changes: FriendListMod[]) {
  return { EventArray: [{ Event: EVENT_RELATIONS, FriendListMod: changes }] };
}
