import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type C2CCommand, type C2CReply } from './decide';
import type { C2CEvent } from './events';
import { evolveWithin, initialState, REMEMBERED_MESSAGES, type C2CState } from './state';

export * from './decide';
export * from './events';
export type { ReceiptCommand, ReceiptReply, ReceiptStored } from './receipt';
export { REMEMBERED_MESSAGES, unreadOf, type C2CState, type MessageMeta } from './state';

/** A one-to-one conversation keeping its newest `remembered` messages in memory; key `<sdkAppId>:<a>|<b>` with the two UserIDs sorted. */
export function c2cKindWithin(remembered: number): ActorKind<C2CState, C2CCommand, C2CEvent, C2CReply> {
  return {
    name: 'c2c',
    initialState,
    decide,
    evolve: evolveWithin(remembered),
    snapshot: jsonSnapshot<C2CState>('c2c.v1'),
    snapshotWeight: (state) => state.messages.size + state.dedup.size,
    // Sends queued behind one another share an append (runtime/host.ts).
    batches: (command) => command.op === 'send',
  };
}

export const c2cKind = c2cKindWithin(REMEMBERED_MESSAGES);

export const conversationKey = (app: number, a: string, b: string) => (a < b ? `${app}:${a}|${b}` : `${app}:${b}|${a}`);
export const conversationStream = (app: number, a: string, b: string) => `c2c:${conversationKey(app, a, b)}`;
