import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type C2CCommand, type C2CReply } from './decide';
import type { C2CEvent } from './events';
import { evolve, initialState, type C2CState } from './state';

export * from './decide';
export * from './events';
export { unreadOf, type C2CState } from './state';

/** A one-to-one conversation; key `<sdkAppId>:<a>|<b>` with the two UserIDs sorted. */
export const c2cKind: ActorKind<C2CState, C2CCommand, C2CEvent, C2CReply> = {
  name: 'c2c',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<C2CState>('c2c.v1'),
  snapshotWeight: (state) => state.messages.size + state.dedup.size,
};

export const conversationKey = (app: number, a: string, b: string) => (a < b ? `${app}:${a}|${b}` : `${app}:${b}|${a}`);
export const conversationStream = (app: number, a: string, b: string) => `c2c:${conversationKey(app, a, b)}`;
