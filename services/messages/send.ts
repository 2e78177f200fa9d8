/**
 * From a sendmsg-shaped body to the conversation's send command: who sends, what is stored,
 * and the control flags. Shared by sendmsg, batchsendmsg and importmsg, REST and SDK.
 */
import { DomainError } from '../../runtime/kind';
import type { SendFields } from '../../actors/c2c';
import type { Caller } from '../commands/commands';
import type { MessageFields, SendBody } from './bodies';
import { contentHash, validateMsgBody } from './elements';

export const SEND_CODES = { NO_SENDER: 90008, NO_RECEIVER: 90012, INVALID: 90001 } as const;

/** Codes of the one-to-one commands in the command table: 90001 bad body, 90994 internal. */
export const C2C_TENCENT = { invalidCode: SEND_CODES.INVALID, internalCode: 90994 };

/** A user sends as themself; an administrator as From_Account, or as the administrator. */
export function senderOf(caller: Caller, body: { From_Account?: string }): string {
  if (caller.kind === 'admin') return body.From_Account ?? caller.id;
  if (body.From_Account !== undefined && body.From_Account !== caller.id) {
    throw new DomainError(SEND_CODES.NO_SENDER, 'From_Account must be the logged-in user');
  }
  return caller.id;
}

export interface SendOptions {
  /** SyncOtherMachine 2: the sender's other devices do not get it. */
  syncToSender: boolean;
  byAdmin: boolean;
  /** ForbidCallbackControl: callbacks not to fire for this message. */
  forbidCallbacks?: string[];
  /** SendMsgControl: NoUnread, NoLastMsg. */
  control?: string[];
  /** MsgLifeTime, seconds (0 is online-only and never reaches sendFields). */
  lifeTimeSec?: number;
}

export { platformOf } from '../commands/commands';

export function sendFields(from: string, to: string, body: MessageFields, options: SendOptions): SendFields {
  const cloudCustomData = body.CloudCustomData ?? '';
  const stored = validateMsgBody(body.MsgBody, cloudCustomData);
  return {
    from,
    to,
    clientSeq: body.MsgSeq ?? 0,
    random: body.MsgRandom,
    clientTime: body.MsgClientTime ?? 0,
    body: stored,
    cloudCustomData,
    offlinePush: body.OfflinePushInfo ? JSON.stringify(body.OfflinePushInfo) : null,
    needReadReceipt: body.IsNeedReadReceipt === 1,
    syncToSender: options.syncToSender,
    fromNick: body.From_AccountNick ?? '',
    fromFace: body.From_AccountHeadurl ?? '',
    byAdmin: options.byAdmin,
    contentHash: contentHash(stored, cloudCustomData),
    forbidCallbacks: options.forbidCallbacks ?? [],
    platform: '',
    clientIp: '',
    noUnread: options.control?.includes('NoUnread') ?? false,
    noLastMsg: options.control?.includes('NoLastMsg') ?? false,
    lifeTimeSec: options.lifeTimeSec ?? 0,
    ...(body.SupportMessageExtension === 1 ? { supportExtension: true } : {}),
  };
}

/** Online-only messages (typing indicators; MsgLifeTime 0) are delivered, never stored. */
export const isOnlineOnly = (body: Pick<SendBody, 'OnlineOnlyFlag' | 'MsgLifeTime'>) => body.OnlineOnlyFlag === 1 || body.MsgLifeTime === 0;
