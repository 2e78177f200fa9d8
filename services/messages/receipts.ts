/**
 * Per-message one-to-one read receipts (openim.c2c_msg_read_receipt; the SDK's
 * sendMessageReadReceipt): the recipient of messages sent with `needReadReceipt` tells their
 * sender which it read. The conversation actor stores them (actors/c2c/receipt.ts); the sender's
 * devices get event 16 and fire MESSAGE_READ_RECEIPT_RECEIVED; history then carries IsPeerRead.
 * The SDK's getMessageReadReceiptList for one-to-one messages asks nothing: it answers from
 * the messages' own isPeerRead.
 */
import type { Context, ServiceActionsSchema, ServiceBroker } from 'moleculer';
import { C2C_CODES, conversationStream, type C2CCommand, type ReceiptReply } from '../../actors/c2c';
import { DomainError } from '../../runtime/kind';
import { refusedWith } from '../../runtime/moleculer/errors';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { commandParams, type CommandParams } from '../commands/commands';
import { deliverToUser } from '../connector/delivery';
import { tinyIdOf } from '../connector/identity';
import { PUSH_SERVCMD } from '../connector/replies';
import { userIdRule } from '../accounts/bodies';
import { storedMessages } from './history';
import { C2C_TENCENT as c2c } from './send';
import type { MessagesService } from './types';

const uint32 = { type: 'number', integer: true, min: 0, max: 0xffffffff };

/** openim.c2c_msg_read_receipt as the SDK sends it (its keyMap: messageInfoList → C2CMsgInfo). */
export interface ReceiptBody {
  Peer_Account: string;
  C2CMsgInfo: { From_Account: string; To_Account: string; MsgSeq: number; MsgRandom: number; MsgTime: number; MsgClientTime?: number }[];
}
const receiptBody = {
  Peer_Account: userIdRule,
  C2CMsgInfo: {
    type: 'array',
    min: 1,
    max: 100,
    items: { type: 'object', props: { From_Account: userIdRule, To_Account: userIdRule, MsgSeq: uint32, MsgRandom: uint32, MsgTime: uint32, MsgClientTime: { ...uint32, optional: true } } },
  },
};

/** Event 16: the SDK matches each message by `<TinyId>-<MsgClientTime>-<MsgRandom>` (docs/sdk-protocol.md). */
export function receiptPush(app: number, reader: string, readTime: number, messages: { from: string; clientSeq: number; random: number; time: number; clientTime: number }[]) {
  const C2cMsgInfo = messages.map((m) => ({
    From_Account: m.from,
    To_Account: reader,
    MsgSeq: m.clientSeq,
    MsgRandom: m.random,
    MsgTime: m.time,
    MsgClientTime: m.clientTime,
    TinyId: tinyIdOf(app, m.from),
  }));
  return { EventArray: [{ Event: 16, UserId: reader, PeerReadTime: readTime, C2cMsgInfo }] };
}

function pushReceipt(broker: ServiceBroker, app: number, reader: string, peer: string, reply: ReceiptReply, now: number): void {
  const messages = reply.receipted.map((r) => {
    const [clientSeq, random, time] = r.msgKey.split('_').map(Number);
    return { from: r.from, clientSeq, random, time, clientTime: r.clientTime };
  });
  const push = receiptPush(app, reader, Math.floor(now / 1000), messages);
  deliverToUser(broker, app, peer, PUSH_SERVCMD, push).catch((err: Error) => broker.logger.warn(`receipt push to ${peer} failed: ${err.message}`));
}

export const receiptActions: ServiceActionsSchema = {
  sdkReadReceipt: {
    tencent: { command: 'openim/c2c_msg_read_receipt', user: true, summary: 'Send read receipts for single one-to-one messages (SDK sendMessageReadReceipt)', ...c2c },
    params: commandParams(receiptBody),
    async handler(this: MessagesService, ctx: Context<CommandParams<ReceiptBody>>) {
      const { app, caller, body } = ctx.params;
      const peer = body.Peer_Account;
      // A user receipts what they received; an administrator on behalf of the messages' recipient.
      const reader = caller.kind === 'user' ? caller.id : body.C2CMsgInfo[0].To_Account;
      if (reader === peer) throw new DomainError(c2c.invalidCode, 'Peer_Account is the reader');
      for (const m of body.C2CMsgInfo) {
        if (m.From_Account !== peer || m.To_Account !== reader) throw new DomainError(C2C_CODES.NOT_FOUND, `${m.From_Account}→${m.To_Account} is not a message ${reader} received from ${peer}`);
      }
      const msgKeys = body.C2CMsgInfo.map((m) => `${m.MsgSeq}_${m.MsgRandom}_${m.MsgTime}`);
      const now = Date.now();
      const command: C2CCommand = { op: 'receipt', reader, msgKeys, now };
      let reply: ReceiptReply;
      try {
        reply = await this.conversation<ReceiptReply>(app, reader, peer, command, ctx);
      } catch (err) {
        // Messages older than the conversation keeps in memory are looked up in the log once.
        if (!refusedWith(err, C2C_CODES.NOT_FOUND)) throw err;
        const stored = await storedMessages(runtimeOf(this.broker).store, conversationStream(app, reader, peer), msgKeys);
        if (stored.length === 0) throw err;
        reply = await this.conversation<ReceiptReply>(app, reader, peer, { ...command, stored }, ctx);
      }
      if (reply.receipted.length > 0) pushReceipt(this.broker, app, reader, peer, reply, now);
      return {};
    },
  },
};
