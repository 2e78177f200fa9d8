/**
 * How other contexts send one-to-one messages: through the messages service's own send path
 * (permission checks, the conversation actor, delivery to online devices, offline push jobs),
 * never around it. Used by all_member_push tasks (services/pushtasks).
 */
import type { ServiceBroker } from 'moleculer';
import type { Caller } from '../commands/commands';
import type { BatchSendBody } from './bodies';
import type { BroadcastAnswer, BroadcastParams } from './broadcast';

export const MESSAGES_SERVICE = 'messages';
export type { BatchSendBody } from './bodies';
/** Checks a MsgBody as every send does (90001 on a bad element); answers the stored JSON. */
export { validateMsgBody } from './elements';
export { retentionFloor } from './retention';
/** The OfflinePushInfo rule every send declares. */
export { offlinePushRule } from './push-info';
/** A one-to-one message the reactions context may attach a reaction to (services/reactions). */
export { c2cReactionTarget, type C2CReactionTarget } from './reaction-target';
/** A one-to-one message the extensions context may write keys of (services/extensions). */
export { c2cExtensionTarget, type C2CExtensionTarget } from './extension-target';

export interface BatchSendAnswer {
  MsgKey: string;
  /** The recipients refused, with their codes (no such account, blocklist…). */
  ErrorList: { To_Account: string; ErrorCode: number }[];
}

/** openim/batchsendmsg for up to 500 recipients, as `caller`. */
export function sendToMany(broker: ServiceBroker, app: number, caller: Caller, body: BatchSendBody, parentCtx?: unknown): Promise<BatchSendAnswer> {
  return broker.call<BatchSendAnswer, object>(`${MESSAGES_SERVICE}.batchSend`, { app, caller, body }, { parentCtx } as never);
}

export type { BroadcastAnswer, BroadcastParams } from './broadcast';

/** One message to many imported accounts (at most 500), for all_member_push: services/messages/broadcast.ts. */
export function broadcastTo(broker: ServiceBroker, params: BroadcastParams): Promise<BroadcastAnswer> {
  // 500 sends on a busy node may outlast one call's usual timeout; each send has its own.
  return broker.call<BroadcastAnswer, BroadcastParams>(`${MESSAGES_SERVICE}.broadcast`, params, { timeout: 60_000 });
}
