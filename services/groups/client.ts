/**
 * How other contexts reach the groups context. The conversations context lists a user's group
 * conversations from here (services/groups/conversations.ts).
 */
import type { Context, ServiceBroker } from 'moleculer';
import { joinedStream, type GroupType } from '../../actors/group';
import { systemNoticePush } from './wire';
import { groupUnreadTotals } from './badge-unread';
import { groupsOfFeed } from './context';

/**
 * A group system notice kept in a member's feed (actors/inbox/group-notices.ts) as the EventArray
 * entry the SDK gets when it is pushed (wire.ts, systemNoticePush): same fields, so a device that
 * got both takes them for one notice.
 */
export function groupNoticeEvent(n: { groupId: string; groupType: string; reportType: number; by: string; time: number }): object {
  return systemNoticePush(n.groupId, n.groupType as GroupType, n.time, n.by, n.reportType, '').EventArray[0];
}

/** A group conversation of one user, as the groups know it. */
export interface GroupConversation {
  groupId: string;
  /** The SDK's type name (Private, Public, ChatRoom, Community). */
  type: string;
  name: string;
  faceUrl: string;
  nextSeq: number;
  /** The user has read up to this sequence. */
  readSeq: number;
  unread: number;
  /** 0 receive and notify, 1 discard, 2 receive silently, 3 silently except @ (the member's MsgFlag). */
  recvOption: number;
  joinTime: number;
  /** The newest message or tip the user may see; none when the group has none. */
  last: { seq: number; time: number; from: string; nick: string; nameCard: string; body: unknown[]; cloudCustomData: string; recalled: boolean } | undefined;
}

/** A group message a member may react to (services/groups/reactions.ts), and the members to tell. */
export interface GroupReactionTarget {
  from: string;
  clientTime: number;
  random: number;
  members: string[];
  /** Sent with SupportMessageExtension (services/extensions writes keys only of such messages). */
  supportExtension?: boolean;
}

export function groupsOf(broker: ServiceBroker) {
  return {
    /** The message `seq` of the group if `user` may react to it; refuses with the group's Tencent code otherwise. */
    reactionTarget(app: number, groupId: string, user: string, seq: number, ctx?: Context, admin?: boolean): Promise<GroupReactionTarget> {
      return broker.call('groups.reactionTarget', { app, groupId, user, seq, ...(admin ? { admin } : {}) }, { parentCtx: ctx });
    },
    /** Which of `groupIds` the user belongs to now (one read of the user's joined-group feed, never a scan of groups). */
    async memberOf(app: number, user: string, groupIds: string[]): Promise<Set<string>> {
      const joined = await groupsOfFeed(broker, joinedStream(app, user));
      return new Set(groupIds.filter((g) => joined.has(g)));
    },
    /** Each user's unread total over their groups, as their app badge counts it (./badge-unread.ts). */
    badgeUnread(app: number, users: string[]): Promise<Map<string, number>> {
      return groupUnreadTotals(broker, app, users);
    },
    /** The user's group conversations (all joined groups, or those of `groupIds`). */
    async conversations(app: number, user: string, ctx?: Context, groupIds?: string[]): Promise<GroupConversation[]> {
      try {
        return await broker.call('groups.conversationsOf', { app, user, ...(groupIds ? { groupIds } : {}) }, { parentCtx: ctx });
      } catch (err) {
        // A deployment without groups (a node started with some services only) has no group conversations.
        if ((err as Error).name === 'ServiceNotFoundError') return [];
        throw err;
      }
    },
  };
}
