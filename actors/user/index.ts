import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type UserCommand, type UserReply } from './decide';
import type { UserEvent } from './events';
import { evolve, initialState, type UserState } from './state';

export * from './decide';
export * from './events';
export { TAG_IMAGE, TAG_NICK, type UserState } from './state';

/** One user of one app; key `<sdkAppId>:<UserID>`. */
export const userKind: ActorKind<UserState, UserCommand, UserEvent, UserReply> = {
  name: 'user',
  initialState,
  decide,
  evolve,
  // v2: profile fields; a v1 snapshot is dropped and the stream replayed.
  snapshot: jsonSnapshot<UserState>('user.v2'),
  // Existence, kick instant and mutes: asked by account_check and on every send.
  reads: (command) => command.op === 'get',
};

export const userKey = (sdkAppId: number, userId: string) => `${sdkAppId}:${userId}`;
