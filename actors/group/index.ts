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
export { mayRead, MAX_TARGETS } from './messages';
export { MAX_PENDING } from './joining';
export { MAX_TOPICS, TOPIC_REMEMBERED, type Topic } from './topic-state';
export { GROUP_BITS, TOPIC_BITS, mask, type PermissionGroup } from './permissions';
export type { PermissionGroupView } from './permission-groups';
export { ATTRIBUTE_LIMITS, ATTRIBUTE_CONFLICT, type AttributesView, type AttributeItem } from './attributes';
export { RECEIPT_TYPES, MAX_RECEIPT_SEQS, type ReceiptCount, type ReceiptDetail } from './receipts';
export { COUNTER_LIMITS, type CountersView } from './counters';
export { RECALL_NOTES_KEPT, type RecallNote } from './recall-note-state';
export type { RecallNotesView } from './recall-notes';
export { unreadAfter, unreadOf, type GroupState, type Member, type Profile } from './state';

/** A group; key `<sdkAppId>:<GroupId>`, stream `group:<sdkAppId>:<GroupId>`. */
export const groupKind: ActorKind<GroupState, GroupCommand, GroupEvent, GroupReply> = {
  name: 'group',
  initialState,
  decide,
  evolve,
  // v5: recallNotes (older snapshots lack the recalls they saw); v4: silent (targeted messages); v3: deletedBefore, recalledBefore (v2), invited; older snapshots are dropped and the stream replayed.
  snapshot: jsonSnapshot<GroupState>('group.v5'),
  snapshotWeight: (state) => state.members.size + state.messages.size + [...state.topics.values()].reduce((n, t) => n + t.messages.size + t.reads.size, 0),
  // A busy group's queued sends share an append (runtime/host.ts): sends change no membership.
  batches: (command) => command.op === 'send',
};

export const groupKey = (app: number, groupId: string) => `${app}:${groupId}`;
export const groupStream = (app: number, groupId: string) => `group:${app}:${groupId}`;
