/** A Community with topics for the topic and permission tests: owner o, admin a, members m and t, topic T. */
import { groupKind, type GroupCommand, type GroupState } from '../../../../actors/group';
import { APP, apply, member, NOW, textMessage, user } from './support';

export const GID = '@TGS#_@TGS#COMMUNITY1';
export const TOPIC = `${GID}@TOPIC#_general`;

export function community(supportTopic = true): GroupState {
  const g = { type: 'Community' as const, owner: 'o', name: 'C', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0, supportTopic };
  return apply(groupKind.initialState(`1400000000:${GID}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a', 'Admin'), member('m'), member('t')], imported: false, now: NOW });
}

export const newTopic = (id = TOPIC, extra: object = {}) => ({ id, name: 'general', faceUrl: '', introduction: '', notification: '', customString: '', ...extra });

export function withTopic(s = community()): GroupState {
  return apply(s, { op: 'createTopic', by: APP, topic: newTopic(), generated: false, now: NOW });
}

export const sendIn = (from: string, random: number, topicId?: string, extra: object = {}): GroupCommand => ({
  op: 'send', by: user(from), message: { ...textMessage(from, random), ...extra }, onlineOnly: false, now: NOW, ...(topicId ? { topicId } : {}),
});

/** Permission groups switched on with everyone's mask `everyone`. */
export const permissionsOn = (s: GroupState, everyone = '0'): GroupState =>
  apply(s, { op: 'modify', by: APP, patch: { enablePermission: true, defaultPermission: everyone }, now: NOW });
