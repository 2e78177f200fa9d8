/**
 * Request bodies (fastest-validator) of the conversation-settings commands: pins, marks,
 * conversation groups, one-to-one do-not-disturb and quiet hours. Field names are the wire's,
 * as Tencent's REST pages and the SDK's requests spell them (the SDK renames its keys with the
 * command's key map: `groupID` goes out as `ToGroupId` on marks and groups, `GroupId` on pins).
 */
const optionalUser = { type: 'string', optional: true };
const idString = { type: 'string', min: 1, max: 128 };

export interface ContactRef {
  Type: number;
  To_Account?: string;
  ToGroupId?: string;
  GroupId?: string;
}
const contactRef = {
  type: 'object',
  props: { Type: { type: 'enum', values: [1, 2] }, To_Account: { ...idString, optional: true }, ToGroupId: { ...idString, optional: true }, GroupId: { ...idString, optional: true } },
};

/** recentcontact/top (SDK pinConversation): OperationType 1 pin, 2 unpin. */
export interface PinBody {
  From_Account?: string;
  OperationType: number;
  RecentContactItem: ContactRef[];
}
export const pinBody = { From_Account: optionalUser, OperationType: { type: 'enum', values: [1, 2] }, RecentContactItem: { type: 'array', min: 1, max: 100, items: contactRef } };

/** recentcontact/mark_contact: OptType 1 standard marks, 2 custom mark, 3 both; at most 100 items. */
export interface MarkBody {
  From_Account?: string;
  MarkItem: { OptType: number; ContactItem: ContactRef; SetMark?: number[]; ClearMark?: number[]; CustomMark?: string }[];
}
const bits = { type: 'array', max: 64, optional: true, items: { type: 'number', integer: true } };
export const markBody = {
  From_Account: optionalUser,
  MarkItem: {
    type: 'array',
    min: 1,
    max: 100,
    items: { type: 'object', props: { OptType: { type: 'enum', values: [1, 2, 3] }, ContactItem: contactRef, SetMark: bits, ClearMark: bits, CustomMark: { type: 'string', optional: true } } },
  },
};

const groupName = { type: 'string', max: 256 };
const contactList = { type: 'array', max: 1000, items: contactRef };

/** recentcontact/create_contact_group: one group per call. */
export interface CreateGroupBody {
  From_Account?: string;
  GroupContactItem: { GroupName: string; ContactItem?: ContactRef[] }[];
}
export const createGroupBody = {
  From_Account: optionalUser,
  GroupContactItem: { type: 'array', min: 1, max: 1, items: { type: 'object', props: { GroupName: groupName, ContactItem: { ...contactList, optional: true } } } },
};

/**
 * recentcontact/update_contact_group: UpdateType 1 with UpdateGroupType 1 renames
 * (OldGroupName → NewGroupName), with 2 adds (ContactOptType 1) or removes (2) conversations
 * of the group OldGroupName (the SDK sends its `groupName` under that key).
 */
export interface UpdateGroupBody {
  From_Account?: string;
  UpdateType: number;
  UpdateGroup: {
    UpdateGroupType: number;
    OldGroupName: string;
    NewGroupName?: string;
    ContactUpdateItem?: { ContactOptType: number; ContactItem: ContactRef }[];
  };
}
export const updateGroupBody = {
  From_Account: optionalUser,
  UpdateType: { type: 'enum', values: [1] },
  UpdateGroup: {
    type: 'object',
    props: {
      UpdateGroupType: { type: 'enum', values: [1, 2] },
      OldGroupName: groupName,
      NewGroupName: { ...groupName, optional: true },
      ContactUpdateItem: { type: 'array', max: 1000, optional: true, items: { type: 'object', props: { ContactOptType: { type: 'enum', values: [1, 2] }, ContactItem: contactRef } } },
    },
  },
};

export interface DeleteGroupBody {
  From_Account?: string;
  GroupName: string[];
}
export const deleteGroupBody = { From_Account: optionalUser, GroupName: { type: 'array', min: 1, max: 20, items: groupName } };

/** recentcontact/search_contact_group: up to 300 conversations. */
export interface SearchBody {
  From_Account?: string;
  ContactItem: ContactRef[];
}
export const searchBody = { From_Account: optionalUser, ContactItem: { type: 'array', min: 1, max: 300, items: contactRef } };

/** openim/get_c2c_peer_mute_notifications: To_Account is the user asking about their peers. */
export interface GetMuteBody {
  To_Account?: string;
  Peer_Account: string[];
}
export const getMuteBody = { To_Account: optionalUser, Peer_Account: { type: 'array', min: 1, max: 300, items: idString } };

/** openim/set_c2c_peer_mute_notifications: the SDK sends at most 30 peers at a time. */
export interface SetMuteBody {
  From_Account?: string;
  Peer_Account: string[];
  Mute_Notifications: number;
}
export const setMuteBody = { From_Account: optionalUser, Peer_Account: { type: 'array', min: 1, max: 30, items: idString }, Mute_Notifications: { type: 'enum', values: [0, 1, 2, 3] } };

/** im_msg_db_logic/ws_set_do_not_disturb (SDK setAllReceiveMessageOpt): Level 0 notify, 1 discard, 2 silent. */
export interface QuietHoursBody {
  From_Account?: string;
  Level: number;
  StartTime?: number;
  EndTime?: number;
  IsRepeated?: number;
}
const seconds = { type: 'number', integer: true, min: 0, max: 4_102_444_800, optional: true };
export const quietHoursBody = { From_Account: optionalUser, Level: { type: 'enum', values: [0, 1, 2] }, StartTime: seconds, EndTime: seconds, IsRepeated: { type: 'enum', values: [0, 1], optional: true } };

export interface GetQuietHoursBody {
  To_Account?: string;
}
export const getQuietHoursBody = { To_Account: optionalUser };
