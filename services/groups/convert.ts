/** From request bodies to actor commands: ids, lengths, member entries, message fields. */
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../runtime/kind';
import { canonicalType, GROUP_CODES, mask, POLICIES, type CreateFields, type GroupType, type NewMember, type ProfilePatch, type SendFields } from '../../actors/group';
import { contentHash, validateMsgBody } from '../messages/elements';
import type { CreateBody, KeyValue, MemberEntry, ModifyBody } from './bodies';
import type { SendBody } from './message-bodies';
import { priorityOf } from './wire';

const bytes = (v: string) => Buffer.byteLength(v, 'utf8');

/** The seed's length limits of the basic profile, bytes. */
const LIMITS = { Name: 30, Introduction: 240, Notification: 300, FaceUrl: 100, NameCard: 50 } as const;

export function checkLengths(body: Partial<Record<keyof typeof LIMITS, string>>): void {
  for (const [field, max] of Object.entries(LIMITS)) {
    const v = body[field as keyof typeof LIMITS];
    if (v !== undefined && bytes(v) > max) throw new DomainError(GROUP_CODES.INVALID, `${field} is longer than ${max} bytes`);
  }
}

export function typeOf(name: string): GroupType {
  const type = canonicalType(name);
  if (!type) throw new DomainError(GROUP_CODES.INVALID, `unknown group Type ${JSON.stringify(name)}`);
  return type;
}

/** Custom ids: printable ASCII, under 48 bytes; @TGS# is ours, except Community ids which must start with @TGS#_. */
export function checkCustomId(id: string, type: GroupType): void {
  const printable = /^[\x20-\x7e]+$/.test(id) && bytes(id) < 48;
  const ok = type === 'Community' ? id.startsWith('@TGS#_') : !id.startsWith('@TGS#');
  if (!printable || !ok) throw new DomainError(GROUP_CODES.BAD_ID, `invalid group id ${JSON.stringify(id)}`);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A generated id; uniqueness is enforced by the group actor refusing to create twice (10021). */
export function generatedId(type: GroupType): string {
  const tail = [...randomBytes(10)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return type === 'Community' ? `@TGS#_@TGS#${tail}` : `@TGS#${tail}`;
}

export const keyValues = (list: KeyValue[] | undefined): Record<string, string> => Object.fromEntries((list ?? []).map((kv) => [kv.Key, kv.Value]));

export function newMember(e: MemberEntry, nowSec: number): NewMember {
  checkLengths({ NameCard: e.NameCard });
  return {
    user: e.Member_Account,
    role: e.Role === 'Admin' ? 'Admin' : 'Member',
    joinTime: e.JoinTime || nowSec,
    nameCard: e.NameCard ?? '',
    custom: JSON.stringify(keyValues(e.AppMemberDefinedData)),
    unread: e.UnreadMsgNum,
  };
}

export function createFields(body: CreateBody, type: GroupType, owner: string, nowSec: number): CreateFields {
  checkLengths(body);
  return {
    type,
    owner,
    name: body.Name,
    introduction: body.Introduction ?? '',
    notification: body.Notification ?? '',
    faceUrl: body.FaceUrl ?? '',
    maxMembers: body.MaxMemberCount ?? body.MaxMemberNum ?? POLICIES[type].maxMembers,
    applyJoin: body.ApplyJoinOption as CreateFields['applyJoin'],
    inviteJoin: (body.InviteJoinOption as CreateFields['inviteJoin']) ?? 'FreeAccess',
    custom: keyValues(body.AppDefinedData),
    createTime: body.CreateTime ?? nowSec,
    ...(type === 'Community' && body.SupportTopic === 1 ? { supportTopic: true } : {}),
  };
}

export function profilePatch(body: ModifyBody): ProfilePatch {
  checkLengths(body);
  const onOff = (v: string | undefined) => (v === undefined ? undefined : v.toLowerCase() === 'on');
  const patch: ProfilePatch = {
    name: body.Name,
    introduction: body.Introduction,
    notification: body.Notification,
    faceUrl: body.FaceUrl,
    maxMembers: body.MaxMemberNum,
    applyJoin: body.ApplyJoinOption as ProfilePatch['applyJoin'],
    inviteJoin: body.InviteJoinOption as ProfilePatch['inviteJoin'],
    muteAll: onOff(body.MuteAllMember ?? body.ShutUpAllMember),
    historyBeforeJoin: onOff(body.HistoryMsgBeforeJoin),
    custom: body.AppDefinedData ? keyValues(body.AppDefinedData) : undefined,
    enablePermission: body.EnablePermission === undefined ? undefined : body.EnablePermission === 1,
    defaultPermission: body.DefaultPermission === undefined ? undefined : mask(body.DefaultPermission, 'DefaultPermission'),
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as ProfilePatch;
}

export function sendFields(from: string, body: SendBody, byAdmin: boolean, nick = '', face = ''): SendFields {
  const cloudCustomData = body.CloudCustomData ?? '';
  const stored = validateMsgBody(body.MsgBody, cloudCustomData);
  const at = body.GroupAtInfo ?? [];
  const control = body.SendMsgControl ?? [];
  return {
    from,
    random: body.Random,
    clientSeq: body.ClientSeq ?? 0,
    clientTime: body.MsgClientTime ?? 0,
    priority: priorityOf(body.MsgPriority),
    body: stored,
    cloudCustomData,
    offlinePush: body.OfflinePushInfo ? JSON.stringify(body.OfflinePushInfo) : null,
    atAll: at.some((a) => a.GroupAtAllFlag === 1),
    atUsers: at.filter((a) => a.GroupAtAllFlag !== 1 && a.GroupAt_Account).map((a) => a.GroupAt_Account as string),
    fromNick: nick,
    fromFace: face,
    byAdmin,
    contentHash: contentHash(stored, cloudCustomData),
    noUnread: control.includes('NoUnread'),
    ...(body.To_Account && body.To_Account.length > 0 ? { to: body.To_Account } : {}),
    ...(body.NeedReadReceipt === 1 ? { needReadReceipt: true } : {}),
    // Topic messages take no extensions yet (services/extensions), so they do not claim to.
    ...(body.SupportMessageExtension === 1 && !body.TopicId ? { supportExtension: true } : {}),
  };
}
