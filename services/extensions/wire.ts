/**
 * The extension commands' bodies as the SDK sends them (its request keys PascalCased:
 * operateType → OperateType, extensionList → ExtensionList of {Key, Value, Seq}, startSequence →
 * startSeq) and the replies and push it reads (docs/sdk-protocol.md §18). REST administrators
 * send the same bodies.
 */
import type { ChangeReply, FetchReply, KeyValue } from '../../actors/extension';
import { EXTENSION_LIMITS } from '../../actors/extension';
import { tinyIdOf } from '../connector/identity';

const account = { type: 'string', min: 1, max: 64 };
const groupId = { type: 'string', min: 1, max: 64 };
const topicId = { type: 'string', max: 128, optional: true };
const seq = { type: 'number', integer: true, min: 1, max: 0xffffffff };
const msgKey = { type: 'string', min: 1, max: 64 };
const startSeq = { type: 'number', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, optional: true };
/** 1 set, 2 delete the named keys, 3 clear every key (no ExtensionList). */
const operateType = { type: 'number', integer: true, min: 1, max: 3 };
const item = {
  type: 'object',
  strict: 'remove',
  props: {
    Key: { type: 'string', min: 1, max: EXTENSION_LIMITS.keyBytes },
    Value: { type: 'string', max: EXTENSION_LIMITS.valueBytes, optional: true },
    Seq: { type: 'number', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
  },
};
const extensionList = { type: 'array', items: item, max: EXTENSION_LIMITS.keysPerRequest, optional: true };

export interface WireKeyValue {
  Key: string;
  Value?: string;
  Seq?: number;
}
export interface C2CSetBody {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
  OperateType: number;
  ExtensionList?: WireKeyValue[];
}
export interface GroupSetBody {
  GroupId: string;
  TopicId?: string;
  MsgSeq: number;
  OperateType: number;
  ExtensionList?: WireKeyValue[];
}
export interface C2CGetBody {
  From_Account: string;
  To_Account: string;
  MsgKey: string;
  startSeq?: number;
  StartSeq?: number;
}
export interface GroupGetBody {
  GroupId: string;
  TopicId?: string;
  MsgSeq: number;
  startSeq?: number;
  StartSeq?: number;
}
export const c2cSetBody = { From_Account: account, To_Account: account, MsgKey: msgKey, OperateType: operateType, ExtensionList: extensionList };
export const groupSetBody = { GroupId: groupId, TopicId: topicId, MsgSeq: seq, OperateType: operateType, ExtensionList: extensionList };
export const c2cGetBody = { From_Account: account, To_Account: account, MsgKey: msgKey, startSeq, StartSeq: startSeq };
export const groupGetBody = { GroupId: groupId, TopicId: topicId, MsgSeq: seq, startSeq, StartSeq: startSeq };

/** Byte bounds: the validator counts characters, Tencent's limits are bytes. */
export function withinBytes(list: WireKeyValue[]): boolean {
  return list.every((i) => Buffer.byteLength(i.Key) <= EXTENSION_LIMITS.keyBytes && Buffer.byteLength(i.Value ?? '') <= EXTENSION_LIMITS.valueBytes);
}

const kv = (k: KeyValue) => ({ Key: k.key, Value: k.value, Seq: k.seq });

/** set_key_values reply: each key's outcome (ExtensionList → extensions) and the message's sequence (Seq → seq). */
export const changeReply = (r: ChangeReply) => ({ ExtensionList: r.results.map((x) => ({ ErrorCode: x.code, Extension: kv(x.item) })), Seq: r.seq });

/** get_key_values reply: CompleteFlag 0 makes the SDK ask again from the last Seq + 1. */
export const fetchReply = (r: FetchReply) => ({ ExtensionList: r.items.map(kv), CompleteFlag: r.complete ? 1 : 0, LatestSeq: r.seq, ClearSeq: r.clearSeq });

/** The message a push is about, as the SDK names it: `<sender TinyId>-<MsgClientTime>-<MsgRandom>`. */
export interface PushedMessage {
  app: number;
  from: string;
  clientTime: number;
  random: number;
  group: boolean;
}

const INFO_KEY = { c2c: 'ExtensionC2cMsgInfo', group: 'ExtensionGroupMsgInfo' } as const;
const RESULT_KEY = { 1: 'SetKVInfo', 2: 'DeleteKVInfo', 3: 'ClearKVInfo' } as const;

/**
 * MsgExtensionNotify (→ messageExtensionNotify): MsgOptType 1 set (MESSAGE_EXTENSIONS_UPDATED),
 * 2 delete and 3 clear (MESSAGE_EXTENSIONS_DELETED: on a clearing the SDK drops every local key
 * at or below ClearMsgSeq). The SDK dispatches the item by this key whatever its Event; 22 is ours.
 */
export function extensionPush(m: PushedMessage, op: 1 | 2 | 3, changed: KeyValue[], seq: number, clearSeq: number) {
  const info = { MsgClientTime: m.clientTime, MsgRandom: m.random };
  const notify = {
    TinyId: tinyIdOf(m.app, m.from),
    [INFO_KEY[m.group ? 'group' : 'c2c']]: info,
    MsgOptType: op,
    [RESULT_KEY[op]]: [{ MsgKeyValue: changed.map(kv), ClearMsgSeq: clearSeq }],
    MsgLastSeq: seq,
  };
  return { EventArray: [{ Event: 22, MsgExtensionNotify: notify }] };
}
