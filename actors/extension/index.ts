import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type ExtensionCommand, type ExtensionReply } from './decide';
import type { ExtensionEvent } from './events';
import { evolve, initialState, type ExtensionState } from './state';

export * from './decide';
export * from './events';
export type { ExtensionState, MessageExtensions } from './state';

/**
 * The key-value extensions of one conversation's messages: key `<sdkAppId>:c2c:<a>|<b>` (the pair
 * sorted) or `<sdkAppId>:group:<groupId>`, the same keys as actors/reaction and for the same
 * reasons (docs/conversations.md): a burst of changes on one message never queues behind the
 * conversation's sends, and the message actors' states and snapshots stay as they are.
 */
export const extensionKind: ActorKind<ExtensionState, ExtensionCommand, ExtensionEvent, ExtensionReply> = {
  name: 'extension',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<ExtensionState>('extension.v1'),
  snapshotWeight: (s) => s.messages.size,
};

export const c2cExtensionsKey = (app: number, a: string, b: string) => (a < b ? `${app}:c2c:${a}|${b}` : `${app}:c2c:${b}|${a}`);
export const groupExtensionsKey = (app: number, groupId: string) => `${app}:group:${groupId}`;
