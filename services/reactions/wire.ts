/**
 * The reaction commands' bodies as the SDK sends them (its request key maps: reactionID →
 * Reaction, messageKey → MsgKey, messageSequence → MsgSeq, userIDList → Add_Account /
 * Del_Account), and the summaries and pushes it reads (docs/sdk-protocol.md §17).
 */
import type { ReactionSummary } from '../../actors/reaction';
import { tinyIdOf } from '../connector/identity';

/** Reaction ids are the app's own emoji names; Tencent does not publish a bound, 128 bytes is ours. */
const reaction = { type: 'string', min: 1, max: 128 };
const account = { type: 'string', min: 1, max: 64 };
const accounts = { type: 'array', items: account, min: 1, max: 1, optional: true };
const groupId = { type: 'string', min: 1, max: 64 };
const topicId = { type: 'string', max: 128, optional: true };
const seq = { type: 'number', integer: true, min: 1, max: 0xffffffff };
const msgKey = { type: 'string', min: 1, max: 64 };
const count = { type: 'number', integer: true, min: 0, max: 1000, optional: true };
/** The SDK asks for the messages on screen; Tencent's getMessageReactions takes at most 20. */
const MAX_MESSAGES = 100;

export interface C2COperationBody {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
  Reaction: string;
  Add_Account?: string[];
  Del_Account?: string[];
}
export interface GroupOperationBody {
  GroupId: string;
  TopicId?: string;
  MsgSeq: number;
  Reaction: string;
  Add_Account?: string[];
  Del_Account?: string[];
}
export const c2cOperationBody = { From_Account: account, To_Account: account, MsgKey: msgKey, Reaction: reaction, Add_Account: accounts, Del_Account: accounts };
export const groupOperationBody = { GroupId: groupId, TopicId: topicId, MsgSeq: seq, Reaction: reaction, Add_Account: accounts, Del_Account: accounts };

export interface C2CStatBody {
  From_Account?: string;
  To_Account?: string;
  MsgKeyList: string[];
  Count?: number;
}
export interface GroupStatBody {
  GroupId: string;
  TopicId?: string;
  MsgSeqList: number[];
  Count?: number;
}
export interface IterateBody {
  From_Account?: string;
  To_Account?: string;
  GroupId?: string;
  TopicId?: string;
  MsgKey?: string;
  MsgSeq?: number;
  Reaction?: string;
  NextSeq?: number;
  Count?: number;
}
const optionalAccount = { ...account, optional: true };
export const c2cStatBody = { From_Account: optionalAccount, To_Account: optionalAccount, MsgKeyList: { type: 'array', items: msgKey, min: 1, max: MAX_MESSAGES }, Count: count };
export const groupStatBody = { GroupId: groupId, TopicId: topicId, MsgSeqList: { type: 'array', items: seq, min: 1, max: MAX_MESSAGES }, Count: count };
export const iterateBody = {
  From_Account: optionalAccount,
  To_Account: optionalAccount,
  GroupId: { ...groupId, optional: true },
  TopicId: topicId,
  MsgKey: { ...msgKey, optional: true },
  MsgSeq: { ...seq, optional: true },
  Reaction: { ...reaction, optional: true },
  NextSeq: count,
  Count: count,
};

/** One summary as the SDK reads it (Count → count, Reaction_Account → userIDList, ReactedByMe 1 → reactedByMyself). */
export function summaryWire(s: ReactionSummary, withViewer: boolean) {
  // A reaction nobody holds any more goes without Reaction_Account: the SDK then shows it at 0.
  return { Reaction: s.reaction, Count: s.count, ...(s.count > 0 ? { Reaction_Account: s.users } : {}), ...(withViewer ? { ReactedByMe: s.reactedByMe ? 1 : 0 } : {}) };
}

/** The message a push is about, as the SDK names it: `<sender TinyId>-<MsgClientTime>-<MsgRandom>`. */
export interface PushedMessage {
  app: number;
  from: string;
  clientTime: number;
  random: number;
  group: boolean;
}

/**
 * MsgReactionNotifyList: the changed reaction of the message as it now is, without ReactedByMe
 * (each device knows its own); the SDK fires MESSAGE_REACTIONS_UPDATED with it, and a UI merges it
 * by reaction id. It dispatches an EventArray
 * item by the key it carries, whatever its Event number; 23 is ours.
 */
export function reactionPush(m: PushedMessage, summaries: ReactionSummary[]) {
  const item = { ...messageInfo(m), MsgReactionSummary: summaries.map((s) => summaryWire(s, false)) };
  return { EventArray: [{ Event: 23, MsgReactionNotifyList: [item] }] };
}

/**
 * To the acting user's devices: the same item, then MsgReactionNotify (MsgOptType 1 added, 2
 * removed), which sets `reactedByMyself` on their other devices; the SDK walks the array in order.
 */
export function ownReactionPush(m: PushedMessage, summaries: ReactionSummary[], added: boolean) {
  const [list] = reactionPush(m, summaries).EventArray;
  const [notify] = reactionNotifyPush(m, summaries, added).EventArray;
  return { EventArray: [list, notify] };
}

/** MsgReactionNotify alone: in a group, the acting user's own push beside the members' common one (pushes.ts). */
export function reactionNotifyPush(m: PushedMessage, summaries: ReactionSummary[], added: boolean) {
  const notify = { ...messageInfo(m), Reaction: summaries[0]?.reaction ?? '', MsgOptType: added ? 1 : 2 };
  return { EventArray: [{ Event: 23, MsgReactionNotify: notify }] };
}

function messageInfo(m: PushedMessage) {
  const info = { TinyId: tinyIdOf(m.app, m.from), MsgClientTime: m.clientTime, MsgRandom: m.random };
  return m.group ? { GroupMsgInfo: info } : { C2CMsgInfo: info };
}
