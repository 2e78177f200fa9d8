/**
 * What the extensions context must know of a one-to-one message before a key is written: that it
 * exists in the pair's conversation, is not recalled and was sent with SupportMessageExtension,
 * and what the SDK identifies it by in a push. Read from the log, as reaction-target.ts does.
 */
import type { ServiceBroker } from 'moleculer';
import { C2C_CODES, conversationStream, type MessageSentData } from '../../actors/c2c';
import { DomainError } from '../../runtime/kind';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { locateMessage } from './history';
import { c2cReactionTarget, type C2CReactionTarget } from './reaction-target';

export interface C2CExtensionTarget extends C2CReactionTarget {
  supportExtension: boolean;
}

/** The message `msgKey` of the pair, or 20022 (no such message) / 20023 (recalled). */
export async function c2cExtensionTarget(broker: ServiceBroker, app: number, a: string, b: string, msgKey: string): Promise<C2CExtensionTarget> {
  const target = await c2cReactionTarget(broker, app, a, b, msgKey);
  const log = runtimeOf(broker).store;
  const stream = conversationStream(app, a, b);
  const at = await locateMessage(log, stream, msgKey);
  const events = at ? await log.readIndex(stream, { index: 'seq', high: at.seq, low: at.seq, limit: 8 }) : [];
  const sent = events.find((e) => e.version === at?.version)?.data as MessageSentData | undefined;
  if (!sent) throw new DomainError(C2C_CODES.NOT_FOUND, `no message ${msgKey} between ${a} and ${b}`);
  return { ...target, supportExtension: sent.supportExtension === true };
}
