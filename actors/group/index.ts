import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import type { GroupCommand, GroupReply } from './commands';
import { decide } from './decide';
import type { GroupEvent } from './events';
import { evolve, initialState, type GroupState } from './state';

export * from './commands';
export * from './events';
export * from './policy';
export * from './fields';
export { decide, type HistoryWindow } from './decide';
export { GROUP_CODES } from './rules';
export { MUTE_FOREVER } from './profile';
export { MAX_PENDING } from './joining';
export { unreadOf, type GroupState, type Member, type Profile } from './state';

/** A group; key `<sdkAppId>:<GroupId>`, stream `group:<sdkAppId>:<GroupId>`. */
export const groupKind: ActorKind<GroupState, GroupCommand, GroupEvent, GroupReply> = {
  name: 'group',
  initialState,
  decide,
  evolve,
  // v3: deletedBefore, recalledBefore (v2), invited; older snapshots are dropped and the stream replayed.
  snapshot: jsonSnapshot<GroupState>('group.v3'),
  snapshotWeight: (state) => state.members.size + state.messages.size,
};

export const groupKey = (app: number, groupId: string) => `${app}:${groupId}`;
export const groupStream = (app: number, groupId: string) => `group:${app}:${groupId}`;
