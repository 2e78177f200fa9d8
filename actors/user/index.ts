import { jsonSnapshot, type ActorKind } from '../kind';
import { decide, type UserCommand, type UserReply } from './decide';
import type { UserEvent } from './events';
import { evolve, initialState, type UserState } from './state';

export * from './decide';
export * from './events';
export type { UserState } from './state';

/** One user of one app; key `<sdkAppId>:<UserID>`. */
export const userKind: ActorKind<UserState, UserCommand, UserEvent, UserReply> = {
  name: 'user',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<UserState>('user.v1'),
};

export const userKey = (sdkAppId: number, userId: string) => `${sdkAppId}:${userId}`;
