/**
 * Every durable change of a user's chain reaches that user's online devices: the relations
 * actor's afterAppend maps its events to the SDK's FriendListMod items. Both users of a
 * two-sided change are told, because each side's actor records (and so pushes) its own half.
 * A device that was offline rebuilds its lists from friend_get, pendency_get and
 * black_list_get after it reconnects, which the SDK does by itself.
 */
import type { ServiceBroker } from 'moleculer';
import * as E from '../../actors/relations/events';
import type { RelationsEvent } from '../../actors/relations';
import { deliverToUser } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { Chain } from './client';
import { PUSH_TYPE, relationsPush, type FriendListMod, type RequestPushItem } from './pushes';
import { snsItems } from './tags';

export async function pushChanges(broker: ServiceBroker, app: number, owner: string, events: RelationsEvent[]): Promise<void> {
  const changes: FriendListMod[] = [];
  for (const e of events) {
    const item = await changeOf(broker, app, owner, e);
    if (item) changes.push(item);
  }
  if (changes.length > 0) await deliverToUser(broker, app, owner, PUSH_SERVCMD, relationsPush(changes));
}

async function changeOf(broker: ServiceBroker, app: number, owner: string, e: RelationsEvent): Promise<FriendListMod | undefined> {
  switch (e.type) {
    case E.FRIEND_ADDED:
      return { PushType: PUSH_TYPE.FRIEND_ADDED, FriendAdd_Account: [e.data.peer] };
    case E.FRIEND_DELETED:
      return { PushType: PUSH_TYPE.FRIEND_DELETED, FriendDel_Account: [e.data.peer] };
    case E.FRIEND_UPDATED: {
      const { peer, remark, groups, custom } = e.data;
      const sns = snsItems({ remark: remark ?? '', groups: groups ?? [], source: '', wording: '', addTime: 0, remarkTime: 0, custom }).filter(
        (i) => !(i.Tag === 'Tag_SNS_IM_AddTime'),
      );
      if (remark === '') sns.push({ Tag: 'Tag_SNS_IM_Remark', Value: '' });
      if (groups !== null && groups.length === 0) sns.push({ Tag: 'Tag_SNS_IM_Group', Value: [] });
      return { PushType: PUSH_TYPE.FRIEND_UPDATED, FriendUpInfo: [{ FriendAccount: peer, Sns: sns }] };
    }
    case E.REQUEST_ADDED: {
      const face = await new Chain(broker, app).user(e.data.peer).catch(() => undefined);
      const item: RequestPushItem = {
        PendencyAdd_Account: e.data.peer,
        ProfileImNick: face?.nick ?? '',
        ProfileImImage: face?.faceUrl ?? '',
        AddSource: e.data.source,
        AddWording: e.data.wording,
        AddTime: e.data.at,
      };
      return { PushType: PUSH_TYPE.REQUEST_ADDED, From_Account: e.data.direction === 'in' ? e.data.peer : owner, PendencyAdd: [item] };
    }
    case E.REQUEST_REMOVED:
      return { PushType: PUSH_TYPE.REQUEST_DELETED, From_Account: e.data.direction === 'in' ? e.data.peer : owner, FrienPencydDel_Account: [e.data.peer] };
    case E.BLOCKED:
      return { PushType: PUSH_TYPE.BLOCK_ADDED, BlackListAdd_Account: [e.data.peer] };
    case E.UNBLOCKED:
      return { PushType: PUSH_TYPE.BLOCK_DELETED, BlackListDel_Account: [e.data.peer] };
    case E.PENDENCY_READ:
      return { PushType: PUSH_TYPE.REQUESTS_READ, ReportTime: e.data.at };
    default:
      // Reverse-index and friend-list-name changes have no SDK notification.
      return undefined;
  }
}
