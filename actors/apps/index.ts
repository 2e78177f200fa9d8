import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type AppCommand, type AppReply } from './decide';
import type { AppEvent } from './events';
import { evolve, initialState, type AppRegistry } from './state';

export * from './decide';
export * from './events';
export type { App, AppRegistry } from './state';

/** The registry of every app; a single key, `registry`. */
export const appsKind: ActorKind<AppRegistry, AppCommand, AppEvent, AppReply> = {
  name: 'apps',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<AppRegistry>('apps.v1'),
};

export const REGISTRY_KEY = 'registry';
