import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type PushtaskCommand, type PushtaskReply } from './decide';
import type { PushtaskEvent } from './events';
import { evolve, initialState, type PushtaskState } from './state';

export * from './condition';
export * from './decide';
export * from './events';
export type { PushtaskState, RunningTask } from './state';

/**
 * The all_member_push tasks of one app, key `<sdkAppId>`: the interval and daily quota, and each
 * task with how far its runner walked the app's accounts, so a crash resumes where it stopped.
 */
export const pushtaskKind: ActorKind<PushtaskState, PushtaskCommand, PushtaskEvent, PushtaskReply> = {
  name: 'pushtask',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<PushtaskState>('pushtask.v1'),
};

export const pushtaskKey = (sdkAppId: number) => String(sdkAppId);
