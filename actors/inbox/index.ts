import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type InboxCommand, type InboxReply } from './decide';
import type { InboxEvent } from './events';
import { evolve, initialState, type InboxState } from './state';

export * from './decide';
export * from './decide-settings';
export * from './settings';
export * from './events';
export { blankGroupConv, type GroupConvCommand, type GroupConvsReply, type GroupConvState } from './group-convs';
export type { Contact, InboxState } from './state';
export type { TouchCommand } from './touch';
export type { GroupNoticeCommand } from './group-notices';

/**
 * A user's sync feed and recent contacts; key `<sdkAppId>:<UserID>`. Conversations append to
 * this stream too (as a feed), so the host catches up with the stream before each command.
 */
export const inboxKind: ActorKind<InboxState, InboxCommand, InboxEvent, InboxReply> = {
  name: 'inbox',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<InboxState>('inbox.v3'),
  snapshotWeight: (state) => state.contacts.size + state.settings.convs.size,
  sharedStream: true,
};
