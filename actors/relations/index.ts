import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import type { RelationsCommand, RelationsReply } from './commands';
import { decide } from './decide';
import type { RelationsEvent } from './events';
import { evolve, initialState, type RelationsState } from './state';

export * from './codes';
export * from './decide';
export * from './events';
export * from './commands';
export type { RelationsState } from './state';

/** One user's relationship chain: friends, friend lists, blocklist, requests; key `<sdkAppId>:<UserID>`. */
export const relationsKind: ActorKind<RelationsState, RelationsCommand, RelationsEvent, RelationsReply> = {
  name: 'relations',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<RelationsState>('relations.v1'),
};

export const relationsKey = (sdkAppId: number, userId: string) => `${sdkAppId}:${userId}`;
