/**
 * One message from one account to many, for all_member_push (services/pushtasks): batchsendmsg's
 * per-recipient work less what a batch can share. Measured per recipient before (bench/push-all.ts
 * profile): a Moleculer call and a user-actor activation to prove the recipient exists, the
 * sender's mute and the message's validation and hash again, a presence lookup of its own for the
 * online push, and a push-job row and wake-up in the conversation's transaction. Here:
 * - the recipients come from the caller, who read them from the account directory: no existence
 *   check per recipient; the sender's mute is asked once, the message validated once;
 * - the recipients' blocklists (and friends-only, when the app asks) from one view of the
 *   sender's chain, which mirrors them (refusalsFrom), not one call to each recipient's chain;
 * - each recipient still gets its own stored message (the conversation actor: seq, dedup by
 *   MsgRandom, the recipient's sync feed) after the before-send callback, as any send; without
 *   its push job (`bulkPush`): the caller writes the jobs of a whole batch in one append
 *   (services/pushtasks/runner.ts);
 * - online devices get the message with one presence lookup for the batch (sendEach);
 * - MsgLifeTime 0 stores nothing: only the online push.
 * A resend (the same MsgRandom within five minutes) is recognised by each conversation, counts as
 * delivered and is not pushed to devices again.
 */
import type { Context } from 'moleculer';
import type { MessageSentData, SendReply } from '../../actors/c2c';
import { accountsOf, isMuted } from '../accounts/client';
import { sendEach } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { refusalsFrom } from '../friends/permissions';
import { c2cConversation, holdingMedia } from '../media/client';
import type { BatchSendBody } from './bodies';
import { beforeSend } from './callbacks';
import { isOnlineOnly, sendFields } from './send';
import type { MessagesService } from './types';
import { c2cPush, wireMessage } from './wire';

/** 20012: the sender is muted for one-to-one messages. */
const C2C_MUTED = 20012;

export interface BroadcastParams {
  app: number;
  from: string;
  /** Imported accounts (the caller read them from the directory), at most 500. */
  to: string[];
  body: Omit<BatchSendBody, 'To_Account' | 'From_Account'>;
}

export interface BroadcastAnswer {
  /** Recipients who have the message: stored now or by an earlier attempt, or (online only) pushed to. */
  delivered: string[];
  ErrorList: { To_Account: string; ErrorCode: number }[];
  /** MsgKey and time (s) of a copy stored now, for the push jobs; absent when none was. */
  stored?: { msgKey: string; time: number };
}

const codeOf = (err: unknown) => (err as { data?: { code?: unknown } }).data?.code ?? (err as { code?: unknown }).code;

export async function broadcast(svc: MessagesService, { app, from, to, body }: BroadcastParams, ctx: Context): Promise<BroadcastAnswer> {
  const mutes = await accountsOf(svc.broker).mutedUntil(app, from, ctx);
  if (isMuted(mutes, 'c2c')) return { delivered: [], ErrorList: to.map((To_Account) => ({ To_Account, ErrorCode: C2C_MUTED })) };
  const shared = sendFields(from, '', body, { syncToSender: false, byAdmin: true, forbidCallbacks: body.ForbidCallbackControl, control: body.SendMsgControl, lifeTimeSec: body.MsgLifeTime });
  const onlineOnly = isOnlineOnly(body);
  const recipients = [...new Set(to)];
  const refused = await refusalsFrom(svc.broker, app, from, recipients);
  const delivered: string[] = [];
  const ErrorList: BroadcastAnswer['ErrorList'] = [...refused].map(([To_Account, ErrorCode]) => ({ To_Account, ErrorCode }));
  const pushes: { userId: string; body: object }[] = [];
  let stored: BroadcastAnswer['stored'];
  await Promise.all(
    recipients.filter((r) => !refused.has(r)).map(async (recipient) => {
      try {
        const now = Date.now();
        const before = await beforeSend(svc.broker, app, { ...shared, to: recipient }, onlineOnly, now, ctx.requestID ?? undefined);
        if ('dropped' in before) return;
        const message = before.send;
        if (onlineOnly) {
          const live: MessageSentData = { ...message, seq: 0, time: Math.floor(now / 1000), clientSeq: message.clientSeq || 1 };
          pushes.push({ userId: recipient, body: c2cPush([wireMessage(app, live)]) });
        } else {
          const send = () => svc.conversation<SendReply>(app, from, recipient, { op: 'send', message, now, bulkPush: true }, ctx);
          const reply = await holdingMedia(svc.broker, app, c2cConversation(from, recipient), message.body, { id: from, admin: true }, send, (r) => r.seq);
          if (!reply.duplicate) {
            stored ??= { msgKey: reply.msgKey, time: reply.time };
            pushes.push({ userId: recipient, body: c2cPush([wireMessage(app, { ...message, seq: reply.seq, time: reply.time, clientSeq: message.clientSeq || reply.seq })]) });
          }
        }
        delivered.push(recipient);
      } catch (err) {
        const code = codeOf(err);
        if (typeof code !== 'number' || code === 90994) throw err;
        ErrorList.push({ To_Account: recipient, ErrorCode: code });
      }
    }),
  );
  await sendEach(svc.broker, app, pushes, PUSH_SERVCMD).catch((err: Error) => svc.logger.warn(`broadcast push from ${from} failed: ${err.message}`));
  return { delivered, ErrorList, ...(stored ? { stored } : {}) };
}
