/**
 * Group system notices kept in a member's feed: the SDK drops a group and its conversation when
 * it gets the notice that the group was disbanded (5), that the member was removed (4) or quit (8)
 * (its `_onGroupDismissed`, `_onMemberKicked`, `_onQuitGroup`), and its incremental conversation
 * list has no way to say so. The groups context pushes these notices to online devices only;
 * kept here, a device that was offline gets them at its next one-to-one sync, as the getmsg
 * reply's EventArray (services/inboxes/sync.ts). Written in batches off any send path
 * (services/conversations/list-touches.ts); nothing in the inbox's state changes.
 */
import type { Decision } from '../../runtime/kind';
import { INBOX_GROUP_NOTICE_KEPT, type GroupNoticeData, type InboxEvent } from './events';

export interface GroupNoticeCommand extends Omit<GroupNoticeData, 'at'> {
  op: 'keepGroupNotice';
  now: number;
}

export function decideGroupNotice(c: GroupNoticeCommand): Decision<InboxEvent, { changed: boolean }> {
  const { groupId, groupType, reportType, by, time } = c;
  return { events: [{ type: INBOX_GROUP_NOTICE_KEPT, data: { groupId, groupType, reportType, by, time, at: c.now } }], reply: { changed: true } };
}
