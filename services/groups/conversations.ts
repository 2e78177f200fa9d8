/**
 * A user's group conversations as their conversation list shows them (recentcontact page_get
 * and get_list, served by the conversations context through services/groups/client.ts): for
 * each group the user belongs to, its last message as the user may see it, the user's unread
 * count and receive option. Live rooms (AVChatRoom) have no conversation on the server, as at
 * Tencent; a Work group shows only once it has a message, but to its owner.
 */
import type { ActionSchema, Context } from 'moleculer';
import { groupStream, POLICIES, sdkTypeName, type GroupView, type HistoryWindow, type MsgFlag } from '../../actors/group';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { joinedGroups, view } from './context';
import { readGroupHistory } from './history';
import type { GroupsService } from './types';
import type { GroupConversation } from './client';

const RECV_OPTION: Record<MsgFlag, number> = { AcceptAndNotify: 0, Discard: 1, AcceptNotNotify: 2, AcceptNotNotifyExceptAt: 3 };

async function conversationOf(svc: GroupsService, app: number, user: string, v: GroupView, ctx: Context): Promise<GroupConversation | undefined> {
  const self = v.self;
  const type = v.profile.type;
  if (!self || type === 'AVChatRoom') return undefined;
  if (!v.active && v.profile.owner !== user) return undefined;
  const who = { id: user, admin: false };
  const window = await svc.group<HistoryWindow>(app, v.id, { op: 'locate', viewer: who, seq: Number.MAX_SAFE_INTEGER }, ctx);
  const page = await readGroupHistory(runtimeOf(svc.broker).store, groupStream(app, v.id), window, 1, true, user);
  const newest = page.items[0];
  const counts = POLICIES[type].unreadCounts;
  const base = {
    groupId: v.id,
    type: sdkTypeName(type),
    name: v.profile.name,
    faceUrl: v.profile.faceUrl,
    nextSeq: v.lastSeq + 1,
    readSeq: counts ? self.readSeq : v.lastSeq,
    unread: counts ? Math.max(0, v.selfUnread ?? v.lastSeq - self.readSeq) : 0,
    recvOption: RECV_OPTION[self.msgFlag] ?? 0,
    joinTime: self.joinTime,
  };
  if (!newest) return { ...base, last: undefined };
  if (newest.kind === 'tip') return { ...base, last: { seq: newest.tip.seq, time: newest.tip.time, from: newest.tip.by, nick: '', nameCard: '', body: [], cloudCustomData: '', recalled: false } };
  const m = newest.message;
  const recalled = newest.recalled;
  return {
    ...base,
    last: { seq: m.seq, time: m.time, from: m.from, nick: m.fromNick, nameCard: m.nameCard, body: recalled ? [] : (JSON.parse(m.body) as unknown[]), cloudCustomData: recalled ? '' : m.cloudCustomData, recalled },
  };
}

export const conversationActions: Record<string, ActionSchema> = {
  /** Internal (no Tencent command): the conversations context's view of a user's groups. */
  conversationsOf: {
    params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, user: 'string', groupIds: { type: 'array', items: 'string', optional: true } },
    async handler(this: GroupsService, ctx: Context<{ app: number; user: string; groupIds?: string[] }>): Promise<GroupConversation[]> {
      const { app, user } = ctx.params;
      const joined = await joinedGroups(this, app, user);
      const ids = ctx.params.groupIds ? joined.filter((id) => ctx.params.groupIds?.includes(id)) : joined;
      const found = await Promise.all(
        ids.map(async (id) => {
          try {
            return await conversationOf(this, app, user, await view(this, app, id, ctx, { id: user, admin: false }), ctx);
          } catch (err) {
            // A group destroyed or left since the feed was read has no conversation.
            if (typeof (err as { data?: { code?: unknown } }).data?.code === 'number') return undefined;
            throw err;
          }
        }),
      );
      return found.filter((c): c is GroupConversation => c !== undefined);
    },
  },
};
