import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type PushregCommand, type PushregReply } from './decide';
import type { PushregEvent } from './events';
import { evolve, initialState, type PushregState } from './state';

export * from './decide';
export * from './events';
export type { PushregState } from './state';

/**
 * A user's push registration, key `<sdkAppId>:<userId>`: the push tokens of the user's devices
 * (by the instId of their presence record), and the tags and attributes all_member_push selects
 * by. Durable, so tokens survive restarts; the presence directory says whether a device is
 * Online (no push) or not.
 */
export const pushregKind: ActorKind<PushregState, PushregCommand, PushregEvent, PushregReply> = {
  name: 'pushreg',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<PushregState>('pushreg.v1'),
};

export const pushregKey = (sdkAppId: number, userId: string) => `${sdkAppId}:${userId}`;
