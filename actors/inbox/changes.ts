/**
 * When each conversation in a user's list last changed, as a position in the user's inbox stream:
 * what the SDK's incremental conversation sync (recentcontact.page_get from a non-zero cursor)
 * asks for. The stream version is already a per-user clock that every message, read mark and
 * setting moves, so it needs no event field of its own and replays to the same values.
 *
 * `changed` keeps insertion order = ascending version (an entry is deleted and re-set on each
 * change), so "changed after v" is a scan from the first entry past v.
 */
import { INBOX_CONTACT_DELETED, INBOX_CONTACT_GROUP_CHANGED, INBOX_CONTACT_GROUP_CREATED, INBOX_CONTACT_GROUP_DELETED, INBOX_CONV_MARKED, INBOX_CONV_PINNED, INBOX_CONVS_TOUCHED, INBOX_GROUP_CONV_DELETED, INBOX_GROUP_HISTORY_CLEARED, INBOX_MESSAGE_REF, INBOX_PEER_MUTE_SET, INBOX_PEER_READ, type ConvId, type InboxEvent } from './events';
import { c2cConv, groupConv, type InboxSettings } from './settings';

export interface ChangeHolder {
  changed?: Map<ConvId, number>;
  settings: InboxSettings;
}

/** The conversations an event changes; call before the event is applied (a deleted group names its members). */
export function convsChangedBy(state: ChangeHolder, event: InboxEvent): ConvId[] {
  switch (event.type) {
    case INBOX_MESSAGE_REF:
    case INBOX_PEER_READ:
      return [c2cConv(event.data.peer)];
    case INBOX_GROUP_CONV_DELETED:
    case INBOX_GROUP_HISTORY_CLEARED:
      return [groupConv(event.data.groupId)];
    case INBOX_CONV_PINNED:
    case INBOX_CONTACT_GROUP_CREATED:
    case INBOX_CONVS_TOUCHED:
      return event.data.convs;
    case INBOX_CONV_MARKED:
      return [event.data.conv];
    case INBOX_CONTACT_GROUP_CHANGED:
      return [...event.data.added, ...event.data.removed];
    case INBOX_CONTACT_GROUP_DELETED:
      return [...state.settings.convs].filter(([, s]) => s.groups.includes(event.data.groupId)).map(([conv]) => conv);
    case INBOX_PEER_MUTE_SET:
      return event.data.peers.map(c2cConv);
    default:
      return [];
  }
}

/** Records `convs` as changed at `version`; a deleted one-to-one contact is forgotten (the SDK learns of deletions by push only). */
export function recordChanges(state: ChangeHolder, event: InboxEvent, convs: ConvId[], version: number): void {
  const changed = (state.changed ??= new Map());
  if (event.type === INBOX_CONTACT_DELETED) {
    changed.delete(c2cConv(event.data.peer));
    return;
  }
  for (const conv of convs) {
    changed.delete(conv);
    changed.set(conv, version);
  }
}

/**
 * The conversations changed after `after`, ascending by version. A page ends only where the
 * version changes, so a cursor "after version v" never splits one event's conversations.
 */
export function changedAfter(changed: Map<ConvId, number> | undefined, after: number, accept: (conv: ConvId) => boolean, limit: number): { items: { conv: ConvId; version: number }[]; complete: boolean } {
  const items: { conv: ConvId; version: number }[] = [];
  for (const [conv, version] of changed ?? []) {
    if (version <= after || !accept(conv)) continue;
    if (items.length >= limit && version !== items[items.length - 1].version) return { items, complete: false };
    items.push({ conv, version });
  }
  return { items, complete: true };
}
