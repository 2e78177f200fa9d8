/**
 * What other contexts read of a user's conversation settings. Offline push asks here whether a
 * one-to-one conversation is muted (MsgRecvOption: 0 receive and notify, 1 discard, 2 receive
 * without notification, 3 without notification except @) and what the user's quiet hours are.
 * The settings live in the user's inbox actor (actors/inbox/settings.ts); one call reads both.
 */
import type { Context, ServiceBroker } from 'moleculer';
import { c2cConv, type ConvSettingsPage, type GroupConvsReply, type QuietHours } from '../../actors/inbox';
import { userKey } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';

export interface DoNotDisturb {
  /** MsgRecvOption of each asked peer's one-to-one conversation (0 when never set). */
  peers: Record<string, number>;
  /** Global quiet hours: level 0 notify, 1 discard, 2 silent; times in unix seconds, daily when repeated. */
  quiet: QuietHours;
}

export function conversationsOf(broker: ServiceBroker) {
  return {
    async doNotDisturb(app: number, user: string, peers: string[], ctx?: Context): Promise<DoNotDisturb> {
      const page = (await routerOf(broker).call('inboxes', userKey(app, user), { op: 'convSettings', convs: peers.map(c2cConv) }, { parentCtx: ctx })) as ConvSettingsPage;
      return { peers: Object.fromEntries(peers.map((p, i) => [p, page.items[i][1].mute])), quiet: page.quiet };
    },
    /** The sequence up to which the user cleared their history of a group (recentcontact clear_msg); 0 when never. */
    async groupClearedUpTo(app: number, user: string, groupId: string, ctx?: Context): Promise<number> {
      const reply = (await routerOf(broker).call('inboxes', userKey(app, user), { op: 'groupConvs', groupIds: [groupId] }, { parentCtx: ctx })) as GroupConvsReply;
      return reply.convs[groupId]?.clearedUpTo ?? 0;
    },
  };
}
