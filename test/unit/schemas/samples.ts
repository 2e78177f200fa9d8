/**
 * One sample per stored event type, typed as the TypeScript event it is. `Samples` maps every
 * declared `type` to its `data`, so `npm run typecheck` refuses a missing event type, a missing
 * field or a field the TypeScript type lacks; event-types.test.ts then checks each sample
 * against the event's Avro schema. Optional fields are filled in, so the schema must have them.
 */
import type { AppEvent } from '../../../actors/apps';
import type { AuditEvent } from '../../../actors/audit';
import * as audit from '../../../actors/audit/events';
import * as apps from '../../../actors/apps/events';
import type { C2CEvent } from '../../../actors/c2c';
import * as c2c from '../../../actors/c2c/events';
import type { GroupEvent, JoinedEvent } from '../../../actors/group';
import * as group from '../../../actors/group/events';
import type { InboxEvent } from '../../../actors/inbox';
import * as inbox from '../../../actors/inbox/events';
import type { MediaEvent } from '../../../actors/media';
import * as media from '../../../actors/media/events';
import type { NickdirEvent } from '../../../actors/nickdir/events';
import * as nickdir from '../../../actors/nickdir/events';
import type { OutboxEvent } from '../../../actors/outbox';
import * as outbox from '../../../actors/outbox/events';
import type { PushqEvent } from '../../../actors/pushq';
import * as pushq from '../../../actors/pushq/events';
import type { PushregEvent } from '../../../actors/pushreg';
import * as pushreg from '../../../actors/pushreg/events';
import type { ReactionEvent } from '../../../actors/reaction';
import type { ExtensionEvent } from '../../../actors/extension';
import type { FollowEvent } from '../../../actors/follow';
import * as follow from '../../../actors/follow/events';
import * as extension from '../../../actors/extension/events';
import * as reaction from '../../../actors/reaction/events';
import type { PushtaskEvent } from '../../../actors/pushtask';
import * as pushtask from '../../../actors/pushtask/events';
import type { RelationsEvent } from '../../../actors/relations';
import * as rel from '../../../actors/relations/events';
import type { StatsEvent } from '../../../actors/stats/events';
import * as stats from '../../../actors/stats/events';
import type { GroupQuotaEvent } from '../../../actors/groupquota';
import * as groupquota from '../../../actors/groupquota/events';
import type { UserEvent } from '../../../actors/user';
import * as user from '../../../actors/user/events';

export type StoredEvent = AppEvent | C2CEvent | GroupEvent | JoinedEvent | InboxEvent | OutboxEvent | RelationsEvent | UserEvent | StatsEvent | PushqEvent | PushregEvent | ReactionEvent | ExtensionEvent | FollowEvent | PushtaskEvent | MediaEvent | AuditEvent | NickdirEvent | GroupQuotaEvent;
export type Samples = { [T in StoredEvent['type']]: Extract<StoredEvent, { type: T }>['data'] };

const AT = 1_796_000_000_000;
const SEC = AT / 1000;
const BODY = '[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]';

export const samples: Samples = {
  [apps.APP_CREATED]: { sdkAppId: 1400000000, secretKey: '0123456789abcdef', admins: ['administrator'], settings: '{}', createdAt: AT },
  [apps.APP_UPDATED]: { sdkAppId: 1400000000, secretKey: null, admins: ['administrator', 'ops'], settings: null },

  [c2c.MESSAGE_SENT]: {
    seq: 1, from: 'alice', to: 'bob', clientSeq: 1, random: 7, time: SEC, clientTime: SEC, body: BODY, cloudCustomData: '',
    offlinePush: null, needReadReceipt: false, syncToSender: true, fromNick: 'Alice', fromFace: '', byAdmin: false, contentHash: 7,
    forbidCallbacks: [], platform: 'RESTAPI', clientIp: '', noUnread: false, noLastMsg: false, lifeTimeSec: 0, supportExtension: true,
  },
  [c2c.MESSAGE_RECALLED]: { seq: 1, msgKey: `1_7_${SEC}`, by: 'alice', at: AT, from: 'alice' },
  [c2c.MESSAGE_MODIFIED]: { seq: 1, msgKey: `1_7_${SEC}`, body: BODY, cloudCustomData: null, at: AT },
  [c2c.CONVERSATION_READ]: { reader: 'bob', seq: 1, at: AT },
  [c2c.HISTORY_DELETED]: { user: 'bob', upToSeq: 1, at: AT },
  [c2c.MESSAGES_DELETED]: { user: 'bob', msgKeys: [`1_7_${SEC}`], seqs: [1], at: AT },
  [c2c.MESSAGES_RECEIPTED]: { reader: 'bob', msgKeys: [`1_7_${SEC}`], seqs: [1], at: AT },

  [inbox.INBOX_MESSAGE_REF]: { peer: 'alice', from: 'alice', seq: 1, version: 1, time: SEC, msgKey: `1_7_${SEC}`, noUnread: false, noLastMsg: false },
  [inbox.INBOX_PEER_READ]: { peer: 'alice', reader: 'bob', seq: 1, at: AT, time: SEC },
  [inbox.INBOX_CONTACT_DELETED]: { peer: 'alice', at: AT },
  [inbox.INBOX_GROUP_CONV_DELETED]: { groupId: '@TGS#1abc', upToSeq: 3, at: AT },
  [inbox.INBOX_GROUP_HISTORY_CLEARED]: { groupId: '@TGS#1abc', upToSeq: 3, at: AT },
  [inbox.INBOX_CONVS_TOUCHED]: { convs: ['C2Calice', 'GROUP@TGS#1abc'], at: AT },
  [inbox.INBOX_GROUP_NOTICE_KEPT]: { groupId: '@TGS#1abc', groupType: 'Public', reportType: 5, by: 'alice', time: SEC, at: AT },
  [inbox.INBOX_CONV_PINNED]: { convs: ['C2Calice', 'GROUPg1'], pinned: true, at: AT },
  [inbox.INBOX_CONV_MARKED]: { conv: 'C2Calice', set: [0, 33], clear: [1], customMark: 'x', at: AT },
  [inbox.INBOX_CONTACT_GROUP_CREATED]: { groupId: 1, name: 'work', convs: ['C2Calice'], at: AT },
  [inbox.INBOX_CONTACT_GROUP_RENAMED]: { groupId: 1, name: 'job', at: AT },
  [inbox.INBOX_CONTACT_GROUP_DELETED]: { groupId: 1, at: AT },
  [inbox.INBOX_CONTACT_GROUP_CHANGED]: { groupId: 1, added: ['GROUPg1'], removed: ['C2Calice'], at: AT },
  [inbox.INBOX_PEER_MUTE_SET]: { peers: ['alice'], flag: 2, at: AT },
  [inbox.INBOX_QUIET_HOURS_SET]: { level: 2, startTime: SEC, endTime: SEC + 3600, repeated: true, at: AT },

  [group.GROUP_CREATED]: {
    type: 'Public', owner: 'alice', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 2000, applyJoin: 'NeedPermission',
    inviteJoin: 'FreeAccess', custom: '{}', historyBeforeJoin: false, createTime: SEC, imported: false, by: 'alice', supportTopic: false,
  },
  [group.PROFILE_CHANGED]: { by: 'alice', patch: '{"name":"H"}', at: AT },
  [group.MEMBERS_JOINED]: { members: [{ user: 'bob', role: 'Member', joinTime: SEC, msgFlag: 'AcceptAndNotify', nameCard: '', custom: '{}', readSeq: 0 }], by: 'alice', how: 'invite', at: AT },
  [group.MEMBERS_LEFT]: { users: ['bob'], by: 'bob', how: 'quit', at: AT },
  [group.MEMBER_CHANGED]: { user: 'bob', patch: '{"role":"Admin"}', by: 'alice', at: AT },
  [group.MEMBERS_MUTED]: { users: ['bob'], until: SEC + 60, by: 'alice', at: AT },
  [group.OWNER_CHANGED]: { from: 'alice', to: 'bob', by: 'alice', at: AT },
  [group.GROUP_DESTROYED]: { by: 'alice', at: AT, members: ['alice', 'bob'], type: 'Public', name: 'G', owner: 'alice' },
  [group.APPLICATION_ADDED]: { applicant: 'carol', message: 'let me in', at: AT },
  [group.APPLICATION_HANDLED]: { applicant: 'carol', approved: true, by: 'alice', at: AT },
  [group.INVITATION_ADDED]: { inviter: 'bob', invitees: ['dave'], at: AT },
  [group.INVITATION_HANDLED]: { invitee: 'dave', approved: false, by: 'alice', at: AT },
  [group.MESSAGE_SENT]: {
    seq: 1, from: 'bob', random: 9, clientSeq: 3, clientTime: SEC, time: SEC, priority: 2, body: BODY, cloudCustomData: '', offlinePush: null,
    atAll: false, atUsers: ['alice'], fromNick: '', fromFace: '', nameCard: '', byAdmin: false, contentHash: 9, noUnread: false, to: [], needReadReceipt: true, supportExtension: true,
  },
  [group.TIP_STORED]: { seq: 2, time: SEC, by: 'alice', opType: 1, tip: '{"opType":1}' },
  [group.MESSAGES_RECALLED]: { seqs: [1], by: 'bob', at: AT },
  [group.MESSAGES_DELETED]: { seqs: [1, 2], by: 'administrator', at: AT },
  [group.TOPIC_CREATED]: { topicId: 'g@TOPIC#_t', slot: 1, name: 'T', faceUrl: '', introduction: '', notification: '', customString: '', createTime: SEC, by: 'alice', at: AT },
  [group.TOPIC_CHANGED]: { topicId: 'g@TOPIC#_t', patch: '{"muteAll":true}', by: 'alice', at: AT },
  [group.TOPIC_DESTROYED]: { topicId: 'g@TOPIC#_t', by: 'alice', at: AT },
  [group.TOPIC_MESSAGE_SENT]: {
    topicId: 'g@TOPIC#_t', key: 2 ** 32 + 1, seq: 1, from: 'bob', random: 9, clientSeq: 3, clientTime: SEC, time: SEC, priority: 2, body: BODY, cloudCustomData: '', offlinePush: null,
    atAll: false, atUsers: [], fromNick: '', fromFace: '', nameCard: '', byAdmin: false, contentHash: 9, noUnread: false, to: [], needReadReceipt: false,
  },
  [group.TOPIC_MESSAGES_RECALLED]: { topicId: 'g@TOPIC#_t', seqs: [1], by: 'bob', at: AT },
  [group.TOPIC_MESSAGES_DELETED]: { topicId: 'g@TOPIC#_t', seqs: [1], by: 'administrator', at: AT },
  [group.TOPIC_MEMBERS_MUTED]: { topicId: 'g@TOPIC#_t', users: ['bob'], until: SEC + 60, by: 'alice', at: AT },
  [group.TOPIC_READ]: { topicId: 'g@TOPIC#_t', user: 'bob', seq: 1, at: AT },
  [group.PERMISSION_GROUP_CREATED]: { id: '@PMG#_mods', name: 'mods', permission: '32', customString: '', createTime: SEC, by: 'alice', at: AT },
  [group.PERMISSION_GROUP_CHANGED]: { id: '@PMG#_mods', patch: '{"permission":"96"}', by: 'alice', at: AT },
  [group.PERMISSION_GROUP_DESTROYED]: { id: '@PMG#_mods', by: 'alice', at: AT },
  [group.PERMISSION_GROUP_MEMBERS_ADDED]: { id: '@PMG#_mods', users: ['bob'], by: 'alice', at: AT },
  [group.PERMISSION_GROUP_MEMBERS_REMOVED]: { id: '@PMG#_mods', users: ['bob'], by: 'alice', at: AT },
  [group.TOPIC_PERMISSIONS_SET]: { id: '@PMG#_mods', topics: '{"g@TOPIC#_t":"8"}', by: 'alice', at: AT },
  [group.ATTRIBUTES_CHANGED]: { op: 2, keys: ['seat1'], values: ['alice'], seq: 3, by: 'alice', at: AT },
  [group.MESSAGES_RECEIPTED]: { user: 'bob', seqs: [1, 2], at: AT },
  [group.COUNTERS_CHANGED]: { op: 0, keys: ['likes'], values: ['9223372036854775807'], seq: 2, by: 'alice', at: AT },
  [group.MESSAGE_MODIFIED]: { seq: 7, body: '[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]', cloudCustomData: 'cc', by: 'administrator', at: AT },
  [group.HISTORY_CLEARED]: { upToSeq: 12, by: 'administrator', at: AT },
  [groupquota.GROUPS_COUNTED]: { delta: 1, reason: 'create', groupId: '@TGS#1abc', quota: 10_000, alarm: true, at: AT },
  [group.TOPIC_MESSAGE_MODIFIED]: { topicId: 'g@TOPIC#_t', key: 2 ** 32 + 7, seq: 7, body: '[{"MsgType":"TIMTextElem","MsgContent":{"Text":"edited"}}]', cloudCustomData: '', by: 'alice', at: AT },
  [group.MEMBERS_BANNED]: { users: ['bob'], until: 1_796_003_600, description: 'spam', by: 'administrator', at: AT },
  [group.MEMBERS_UNBANNED]: { users: ['bob'], by: 'administrator', at: AT },
  [group.LIVE_ADMINS_CHANGED]: { users: ['bob'], added: true, by: 'administrator', at: AT },
  [group.JOINED_GROUP]: { groupId: '@TGS#1ABC', type: 'Public', created: true, at: AT },
  [group.LEFT_GROUP]: { groupId: '@TGS#1ABC', at: AT },

  [outbox.ENQUEUED]: { id: 1, command: 'C2C.CallbackAfterSendMsg', orderKey: 'alice|bob', body: '{}', platform: 'RESTAPI', clientIp: '', at: AT },
  [outbox.DELIVERED]: { ids: [1, 2], at: AT },
  [outbox.GAVE_UP]: { id: 3, attempts: 12, reason: 'HTTP 500', at: AT },

  [stats.ACTIVITY_RECORDED]: {
    node: 'node-1', at: AT, logins: [{ app: 1400000000, user: 'alice', platform: 'Web', at: AT }], online: [{ app: 1400000000, users: 1 }], sampled: true,
    callbacks: [{ app: 1400000000, sent: 2, answered: 1 }],
  },

  [rel.FRIEND_ADDED]: { peer: 'bob', remark: 'Bobby', groups: ['work'], source: 'AddSource_Type_Web', wording: 'hi', addTime: SEC, remarkTime: 0, custom: { Tag_SNS_Custom_X: '1' } },
  [rel.FRIEND_UPDATED]: { peer: 'bob', remark: null, groups: ['home'], custom: {}, at: SEC },
  [rel.FRIEND_DELETED]: { peer: 'bob', at: SEC },
  [rel.PEER_EDGE_CHANGED]: { peer: 'bob', edge: 'friend', present: true, at: SEC },
  [rel.BLOCKED]: { peer: 'eve', at: SEC },
  [rel.UNBLOCKED]: { peer: 'eve', at: SEC },
  [rel.LIST_CREATED]: { name: 'work', at: SEC },
  [rel.LIST_DELETED]: { name: 'work', at: SEC },
  [rel.LIST_RENAMED]: { from: 'work', to: 'office', at: SEC },
  [rel.REQUEST_ADDED]: { peer: 'carol', direction: 'in', source: 'AddSource_Type_Web', wording: 'hello', remark: '', group: '', at: SEC },
  [rel.REQUEST_REMOVED]: { peer: 'carol', direction: 'out', at: SEC },
  [rel.PENDENCY_READ]: { at: SEC },
  [rel.CHANGE_REPORTED]: {
    command: 'Sns.CallbackFriendAdd', pairs: [{ from: 'alice', to: 'bob', initiator: 'alice' }], clientCmd: 'friend_add', admin: '',
    force: false, platform: 'Web', clientIp: '10.0.0.7',
  },

  [user.ACCOUNT_IMPORTED]: { nick: 'Alice', faceUrl: '', at: AT },
  [user.ACCOUNT_DELETED]: { at: AT },
  [user.USER_KICKED]: { at: AT },
  [user.PROFILE_SET]: { strings: { Tag_Profile_IM_Nick: 'Alice' }, numbers: { Tag_Profile_IM_Level: 3 }, at: AT, operator: 'alice' },
  [user.NO_SPEAKING_SET]: { c2cUntil: 1_796_003_600, groupUntil: 4294967295, at: AT },

  [pushq.QUEUED]: { id: 1, users: ['bob'], job: '{"kind":"c2c"}', at: AT },
  [pushq.SENT]: { id: 1, devices: ['bob/inst-1'], at: AT },
  [pushq.DONE]: { ids: [1, 2], at: AT },
  [pushq.DROPPED]: { id: 3, reason: 'undelivered after 12 attempts', at: AT },
  [pushreg.DEVICE_REGISTERED]: { instId: 'inst-1', platform: 'iPhone', provider: 'apns', token: 'ab12', brand: 0, businessId: 0, at: AT },
  [pushreg.DEVICES_REMOVED]: { instIds: ['inst-1'], reason: 'logout', at: AT },
  [pushreg.TAGS_SET]: { tags: ['vip'], at: AT },
  [pushreg.ATTRS_SET]: { attrs: '{"sex":"f"}', at: AT },
  [reaction.REACTION_ADDED]: { message: '1_2_3', reaction: 'smile', user: 'bob', at: AT },
  [reaction.REACTION_REMOVED]: { message: '7', reaction: 'smile', user: 'bob', at: AT },
  [extension.EXTENSIONS_SET]: { message: '1_2_3', items: [{ key: 'vote', value: 'yes', seq: 1 }, { key: 'tag', value: '', seq: 2 }], by: 'bob', at: AT },
  [extension.EXTENSIONS_CLEARED]: { message: '7', seq: 3, by: '', at: AT },
  [follow.FOLLOW_ADDED]: { side: 'following', user: 'bob', at: AT },
  [follow.FOLLOW_REMOVED]: { side: 'follower', user: 'carol', at: AT },
  [pushtask.TASK_CREATED]: { taskId: 'task-1', from: 'admin', message: '{"MsgRandom":1}', condition: '{"TagsOr":["vip"]}', at: AT },
  [pushtask.TASK_PROGRESSED]: { taskId: 'task-1', afterPosition: 42, sent: 500, at: AT },
  [pushtask.TASK_FINISHED]: { taskId: 'task-1', sent: 1000, at: AT },
  [media.FILE_STORED]: { fileKey: '3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e', bytes: 12345, kind: 'image', owner: 'alice', at: AT },
  [media.FILES_DELETED]: { fileKeys: ['3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e'], reason: 'recalled', at: AT },
  [media.FILES_REFERENCED]: { fileKeys: ['3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e'], ref: 'c2c:alice|bob#p0a1b2c3d4e5f', time: 1_796_000_000, at: AT },
  [media.REFERENCE_RENAMED]: { from: 'c2c:alice|bob#p0a1b2c3d4e5f', to: 'c2c:alice|bob#7', time: 1_796_000_000, at: AT },
  [media.REFERENCES_RELEASED]: { refs: ['group:@TGS#1#12'], reason: 'recalled', at: AT },
  [media.BLOBS_REMOVED]: { fileKeys: ['3f2a9c1e5b7d4a6f8e0c2b4d6f8a0c2e'], at: AT },
  [audit.CHANGE_REQUESTED]: { entry: 1, at: AT, admin: 'administrator', action: 'account/kick', target: 'bob', fields: ['UserID'], requestId: 'r-1' },
  [audit.CHANGE_COMPLETED]: { entry: 1, at: AT, code: 0, info: '' },
  [nickdir.NICK_FILED]: { userId: 'bob', nick: 'Bob', at: AT, keys: [1, 2, 3] },
  [nickdir.BACKFILL_STARTED]: { at: AT },
  [nickdir.BACKFILL_ADVANCED]: { afterPosition: 1200, filed: 3 },
  [nickdir.BACKFILL_FINISHED]: { at: AT, filed: 3 },
};
