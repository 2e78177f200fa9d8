/**
 * Who is told of a reaction change, and how. One-to-one: both users' devices, each push on its
 * own (the acting user's carries their MsgReactionNotify too). Group: through the group's ordered,
 * merging fan-out (services/groups/delivery.ts), so a burst of reactions on a hot message costs
 * one socket write per member per fan-out, not per reaction:
 * - every member, the acting user included, gets the same MsgReactionNotifyList item, so
 *   consecutive changes share a recipient list and merge; a later summary of the same reaction
 *   of the same message replaces the earlier one in a merged frame (it carries the full count;
 *   the SDK emits each item, and a UI keeps the last per reaction id);
 * - the acting user alone gets MsgReactionNotify, a `lead` push that leaves before the merged
 *   frame of its batch. The SDK applies it at once (it sets reactedByMyself on that user's other
 *   devices), whereas each list item is emitted only after a profile lookup, with reactedByMyself
 *   read at that moment: arriving first, the notify is already in place when the item that
 *   follows is emitted. Arriving after, it would re-emit the SDK's older copy of the reaction
 *   (stale counts) once the item was shown.
 */
import type { ServiceBroker } from 'moleculer';
import type { ReactionSummary } from '../../actors/reaction';
import { deliverToUsers } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { deliverInOrder } from '../groups/delivery';
import * as wire from './wire';

export interface Change {
  op: 'add' | 'remove';
  /** The actor's message key: MsgKey, or a group message's seq. */
  message: string;
  reaction: string;
  user: string;
  after: ReactionSummary[];
}

export function pushC2C(broker: ServiceBroker, m: wire.PushedMessage, c: Change, pair: string[]): Promise<unknown> {
  const others = pair.filter((u) => u !== c.user).map((userId) => ({ userId }));
  return Promise.all([
    deliverToUsers(broker, m.app, others, PUSH_SERVCMD, wire.reactionPush(m, c.after)),
    deliverToUsers(broker, m.app, [{ userId: c.user }], PUSH_SERVCMD, wire.ownReactionPush(m, c.after, c.op === 'add')),
  ]);
}

export function pushGroup(broker: ServiceBroker, m: wire.PushedMessage, groupId: string, c: Change, members: string[]): Promise<unknown> {
  return deliverInOrder(broker, m.app, groupId, [
    { users: [c.user], servcmd: PUSH_SERVCMD, body: wire.reactionNotifyPush(m, c.after, c.op === 'add'), lead: true },
    { users: members, servcmd: PUSH_SERVCMD, body: wire.reactionPush(m, c.after), replaces: `reaction\n${c.message}\n${c.reaction}` },
  ]);
}
