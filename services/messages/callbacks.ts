/**
 * The app backend's say over one-to-one messages (docs/webhooks.md): the before-send callback
 * may allow, refuse, drop or rewrite a message; after-callbacks report sends, recalls and read
 * marks through the durable outbox, written with the conversation's own events and delivered
 * in order per conversation.
 */
import type { ServiceBroker } from 'moleculer';
import { DomainError } from '../../runtime/kind';
import { msgKeyOf, type MessageSentData, type SendFields } from '../../actors/c2c';
import { callBefore, wantsCallback, type AfterParams } from '../webhooks/client';
import { contentHash, validateMsgBody } from './elements';

export type BeforeOutcome = { send: SendFields } | { dropped: true };

/** Runs C2C.CallbackBeforeSendMsg; a refusal throws with the backend's (or Tencent's) code. `requestId` names the send in the log. */
export async function beforeSend(broker: ServiceBroker, app: number, m: SendFields, onlineOnly: boolean, nowMs: number, requestId?: string): Promise<BeforeOutcome> {
  // Most apps do not ask: no body is built (it parses the message) for a callback not sent.
  if (!wantsCallback(broker, app, 'C2C.CallbackBeforeSendMsg')) return { send: m };
  const time = Math.floor(nowMs / 1000);
  const key = msgKeyOf({ clientSeq: m.clientSeq, random: m.random, time });
  const body = {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.clientSeq,
    MsgRandom: m.random,
    MsgTime: time,
    MsgKey: key,
    // sendmsg answers MsgId = MsgKey; the callbacks carry the same id.
    MsgId: key,
    OnlineOnlyFlag: onlineOnly ? 1 : 0,
    MsgBody: JSON.parse(m.body) as unknown,
    CloudCustomData: m.cloudCustomData,
  };
  const verdict = await callBefore(broker, { app, command: 'C2C.CallbackBeforeSendMsg', body, platform: m.platform, clientIp: m.clientIp, forbid: m.forbidCallbacks, requestId });
  if (verdict.verdict === 'reject') throw new DomainError(verdict.code, verdict.info);
  if (verdict.verdict === 'drop') return { dropped: true };
  const replace = verdict.replace;
  if (!replace) return { send: m };
  const cloudCustomData = replace.CloudCustomData ?? m.cloudCustomData;
  try {
    const stored = replace.MsgBody === undefined ? m.body : validateMsgBody(replace.MsgBody, cloudCustomData);
    return { send: { ...m, body: stored, cloudCustomData, contentHash: contentHash(stored, cloudCustomData) } };
  } catch {
    broker.logger.warn(`app ${app}: the before-send callback's replacement MsgBody is invalid; the original is sent`);
    return { send: m };
  }
}

/** The after-callbacks of one-to-one events: items of the conversation's append (afterFeeds). */
export function sendReport(app: number, conversation: string, m: MessageSentData, unread: number): AfterParams {
  return {
    app,
    command: 'C2C.CallbackAfterSendMsg',
    orderKey: conversation,
    platform: m.platform || undefined,
    clientIp: m.clientIp,
    forbid: m.forbidCallbacks,
    body: {
      From_Account: m.from,
      To_Account: m.to,
      MsgSeq: m.clientSeq,
      MsgRandom: m.random,
      MsgTime: m.time,
      MsgKey: msgKeyOf(m),
      MsgId: msgKeyOf(m),
      OnlineOnlyFlag: 0,
      MsgBody: JSON.parse(m.body) as unknown,
      CloudCustomData: m.cloudCustomData,
      SendMsgResult: 0,
      ErrorInfo: 'send msg succeed',
      UnreadMsgNum: unread,
    },
  };
}

export function recallReport(app: number, conversation: string, from: string, to: string, msgKey: string, unread: number): AfterParams {
  return { app, command: 'C2C.CallbackAfterMsgWithDraw', orderKey: conversation, body: { From_Account: from, To_Account: to, MsgKey: msgKey, UnreadMsgNum: unread } };
}

export function readReport(app: number, conversation: string, reader: string, peer: string, at: number): AfterParams {
  return { app, command: 'C2C.CallbackAfterMsgReport', orderKey: conversation, body: { Report_Account: reader, Peer_Account: peer, LastReadTime: Math.floor(at / 1000), UnreadMsgNum: 0 } };
}
