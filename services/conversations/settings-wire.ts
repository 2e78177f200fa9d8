/**
 * Conversation settings on the wire: contact items in requests and replies, the items of
 * search_contact_group and get_contact_group, and the pushes that tell a user's other devices.
 *
 * Pushes (servcmd im_open_push.msg_push, read in the SDK bundle: `recentContactMod`,
 * `muteNotificationsSync`, event 24): the SDK picks a push's handler by its payload key, so
 * `Event` only has to avoid the numbers it treats specially (14, 16, 24, 26, 100). Contact
 * items in pushes name the peer `UserId` and the group `GroupId`: the SDK's global key map
 * turns those into `userID` and `groupID`, the only names its conversation lookups read.
 */
import { DomainError } from '../../runtime/kind';
import { c2cConv, groupConv, SETTINGS_CODES, standardMark, type ContactGroup, type ConvSettings, type QuietHours } from '../../actors/inbox';
import type { ContactRef } from './settings-bodies';

/** Event number of RecentContactMod pushes (any number the SDK does not special-case). */
const RECENT_CONTACT_EVENT = 13;
const NOTIFY_EVENT = 4;
/** The SDK takes event 24 as quiet hours (26 is a topic's latest message, 100 a room's custom data). */
const QUIET_HOURS_EVENT = 24;

/** The conversationID a contact item names; a malformed one refuses the whole request. */
export function convOf(ref: ContactRef): string {
  if (ref.Type === 1 && ref.To_Account) return c2cConv(ref.To_Account);
  const group = ref.ToGroupId ?? ref.GroupId;
  if (ref.Type === 2 && group) return groupConv(group);
  throw new DomainError(SETTINGS_CODES.INVALID, 'a ContactItem names To_Account (Type 1) or ToGroupId (Type 2)');
}

/** A contact item as replies carry it (each command's key map turns ToGroupId into groupID). */
export function contactItem(conv: string): { Type: number; To_Account?: string; ToGroupId?: string } {
  return conv.startsWith('C2C') ? { Type: 1, To_Account: conv.slice(3) } : { Type: 2, ToGroupId: conv.slice(5) };
}

/** A contact item as pushes carry it. */
function pushItem(conv: string): { Type: number; UserId?: string; GroupId?: string } {
  return conv.startsWith('C2C') ? { Type: 1, UserId: conv.slice(3) } : { Type: 2, GroupId: conv.slice(5) };
}

export const groupItem = (g: ContactGroup) => ({ GroupName: g.name, GroupId: g.groupId });

/** One conversation's marks and groups (ContactResultItem of search, ContactItem of get_contact_group). */
export const settingsItem = (conv: string, s: ConvSettings) => ({
  ...contactItem(conv),
  StandardMark: standardMark(s.marks),
  CustomMark: s.customMark,
  ContactGroupId: s.groups,
  Timestamp: s.time,
});

/** A per-conversation result (ResultItem) of a change that succeeded. */
export const resultItem = (conv: string) => ({ ContactItem: contactItem(conv), ResultCode: 0, ResultInfo: '' });

const recentContactMod = (mod: object) => ({ EventArray: [{ Event: RECENT_CONTACT_EVENT, RecentContactMod: [mod] }] });

export const pinPush = (convs: string[], pinned: boolean) => recentContactMod({ PushType: pinned ? 2 : 3, RecentContactTopItem: { RecentContactList: convs.map(pushItem) } });

export const deletePush = (convs: string[]) => recentContactMod({ PushType: 1, RecentContactDeleteItem: { RecentContactList: convs.map(pushItem) } });

export const markPush = (items: [string, ConvSettings][]) =>
  recentContactMod({
    PushType: 4,
    RecentContactMarkContact: {
      RecentContactMarkContactItem: items.map(([conv, s]) => ({ RecentContactItem: pushItem(conv), OptType: 3, StandardMark: standardMark(s.marks), CustomMark: s.customMark })),
    },
  });

export const groupCreatedPush = (g: ContactGroup, convs: string[]) =>
  recentContactMod({ PushType: 5, RecentContactCreateContactGroup: { MsgContactGroupContactItem: [{ MsgGroupItem: groupItem(g), MsgRecentContactItem: convs.map(pushItem) }] } });

export const groupsDeletedPush = (groups: ContactGroup[]) => recentContactMod({ PushType: 6, RecentContactDelContactGroup: { MsgGroupItem: groups.map(groupItem) } });

export const groupRenamedPush = (g: ContactGroup, oldName: string) =>
  recentContactMod({ PushType: 7, RecentContactUpdateContactGroup: { UpdateType: 1, MsgUpdateGroup: { UpdateGroupType: 1, GroupId: g.groupId, GroupName: g.name, OldGroupName: oldName } } });

/** Conversations added to or removed from a group; the SDK reads the group's name from OldGroupName. */
export const groupChangedPush = (g: ContactGroup, added: string[], removed: string[]) =>
  recentContactMod({
    PushType: 7,
    RecentContactUpdateContactGroup: {
      UpdateType: 1,
      MsgUpdateGroup: {
        UpdateGroupType: 2,
        GroupId: g.groupId,
        OldGroupName: g.name,
        RecentContactUpdateGroupItem: [...added.map((c) => ({ ContactOptType: 1, RecentContactItem: pushItem(c) })), ...removed.map((c) => ({ ContactOptType: 2, RecentContactItem: pushItem(c) }))],
      },
    },
  });

/** One-to-one do-not-disturb changed on another device (the SDK's `muteNotificationsSync`). */
export const peerMutePush = (peers: string[], flag: number) => ({
  EventArray: [{ Event: NOTIFY_EVENT, C2cNotifyMsgArray: peers.map((p) => ({ MuteNotificationsSync: { To_Account: p, MuteNotifications: flag } })) }],
});

export const quietHoursReply = (q: QuietHours) => ({ Level: q.level, StartTime: q.startTime, EndTime: q.endTime, IsRepeated: q.repeated ? 1 : 0 });

export const quietHoursPush = (q: QuietHours) => ({ EventArray: [{ Event: QUIET_HOURS_EVENT, ...quietHoursReply(q) }] });
