/**
 * What the reactions context must know of a one-to-one message before a reaction is stored: that
 * it exists in the pair's conversation and is not recalled, and what the SDK identifies it by in
 * a push (`<sender TinyId>-<MsgClientTime>-<MsgRandom>`). Read from the log through the `time`
 * index like any message the conversation no longer keeps in memory: the log has every
 * acknowledged message, and this costs the conversation actor's mailbox nothing.
 */
import type { ServiceBroker } from 'moleculer';
import { C2C_CODES, conversationStream } from '../../actors/c2c';
import { DomainError } from '../../runtime/kind';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { storedMessages } from './history';

export interface C2CReactionTarget {
  from: string;
  clientTime: number;
  random: number;
}

/** The message `msgKey` of the pair, or 20022 (no such message) / 20023 (recalled). */
export async function c2cReactionTarget(broker: ServiceBroker, app: number, a: string, b: string, msgKey: string): Promise<C2CReactionTarget> {
  const [found] = await storedMessages(runtimeOf(broker).store, conversationStream(app, a, b), [msgKey]);
  if (!found) throw new DomainError(C2C_CODES.NOT_FOUND, `no message ${msgKey} between ${a} and ${b}`);
  if (found.recalled) throw new DomainError(C2C_CODES.ALREADY_RECALLED, `message ${msgKey} was recalled`);
  return { from: found.from, clientTime: found.clientTime ?? found.time, random: Number(msgKey.split('_')[1]) };
}
