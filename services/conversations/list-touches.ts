/**
 * What other contexts publish after their commit that changes a conversation in someone's list
 * without passing through that user's inbox stream. Each becomes an inbox `touch`
 * (actors/inbox/touch.ts), so the SDK's next incremental list (page-get.ts) sends the conversation
 * again with what it now is. None runs on a send path: the group's messages still cost no
 * per-member write (unread = the group's last sequence − the member's read sequence).
 *
 * - group.member.changed with a read sequence or receive option: the member's group conversation
 *   (a read on another device moves its unread count).
 * - message.c2c.recalled / message.c2c.modified: both users' one-to-one conversation, when that
 *   message is still its last one (the inbox checks).
 * - user.profile.changed with a nickname or avatar: the user's conversation in the list of each
 *   of their peers (C2cNick, C2cImage: the SDK's conversation takes its userProfile from them).
 *   The peers are the user's own contacts (a one-to-one conversation is in both inboxes unless one
 *   side deleted it, and then the touch finds nothing), bumped TOUCH_BATCH at a time.
 * - group.destroyed, group.member.left: the group system notice (disbanded to every member;
 *   removed or quit to those who left) is kept in each one's feed (actors/inbox/group-notices.ts),
 *   TOUCH_BATCH members at a time, so a device that was offline drops the group's conversation
 *   at its next sync, as the SDK does on the pushed notice. Live rooms have no conversation.
 */
import type { Context, ServiceEvents } from 'moleculer';
import type { Contact, ContactPage } from '../../actors/inbox';
import { BUS, type C2CModified, type C2CRecalled, type GroupDestroyed, type GroupLeft, type GroupMemberChanged, type ProfileChanged } from '../events';
import type { ConversationsService } from './types';

/** Inboxes written at once after a profile change or a group notice; contacts read per page. */
const TOUCH_BATCH = 32;
const CONTACT_PAGE = 1_000;
/** The profile fields a one-to-one SessionItem carries (sessions.ts, C2cNick and C2cImage). */
const LISTED_TAGS = new Set(['Tag_Profile_IM_Nick', 'Tag_Profile_IM_Image']);

function touched(svc: ConversationsService, what: string) {
  return (err: Error) => svc.logger.warn(`conversation list touch (${what}) failed: ${err.message}`);
}

async function touchLastMessage(svc: ConversationsService, app: number, users: [string, string], msgKey: string, ctx: Context) {
  const [a, b] = users;
  const now = Date.now();
  await Promise.all([
    svc.inbox(app, a, { op: 'touch', convs: [`C2C${b}`], lastMsgKey: msgKey, now }, ctx).catch(touched(svc, `last message of ${a}`)),
    svc.inbox(app, b, { op: 'touch', convs: [`C2C${a}`], lastMsgKey: msgKey, now }, ctx).catch(touched(svc, `last message of ${b}`)),
  ]);
}

async function touchPeersOf(svc: ConversationsService, app: number, user: string, ctx: Context) {
  for (let offset = 0; ; offset += CONTACT_PAGE) {
    const page = await svc.inbox<ContactPage>(app, user, { op: 'list', offset, limit: CONTACT_PAGE }, ctx);
    const peers = page.contacts.map((c: Contact) => c.peer).filter((p) => p !== user);
    for (let i = 0; i < peers.length; i += TOUCH_BATCH) {
      const now = Date.now();
      await Promise.all(peers.slice(i, i + TOUCH_BATCH).map((peer) => svc.inbox(app, peer, { op: 'touch', convs: [`C2C${user}`], now }, ctx).catch(touched(svc, `profile of ${user} for ${peer}`))));
    }
    if (page.complete) return;
  }
}

/** Keeps a group system notice in each user's feed, TOUCH_BATCH users at a time. */
async function keepGroupNotice(svc: ConversationsService, app: number, users: string[], notice: { groupId: string; groupType: string; reportType: number; by: string; at: number }, ctx: Context) {
  const { at, ...fields } = notice;
  for (let i = 0; i < users.length; i += TOUCH_BATCH) {
    const command = { op: 'keepGroupNotice' as const, ...fields, time: Math.floor(at / 1000), now: at };
    await Promise.all(users.slice(i, i + TOUCH_BATCH).map((user) => svc.inbox(app, user, command, ctx).catch(touched(svc, `group ${notice.groupId} notice for ${user}`))));
  }
}

export const listTouchEvents: ServiceEvents = {
  [BUS.GROUP_DESTROYED]: {
    async handler(this: ConversationsService, ctx: Context<GroupDestroyed>) {
      const { app, groupId, groupType, members, by, at } = ctx.params;
      if (groupType === 'AVChatRoom') return;
      await keepGroupNotice(this, app, members, { groupId, groupType, reportType: 5, by, at }, ctx);
    },
  },
  [BUS.GROUP_LEFT]: {
    async handler(this: ConversationsService, ctx: Context<GroupLeft>) {
      const { app, groupId, groupType, users, by, how, at } = ctx.params;
      if (groupType === 'AVChatRoom') return;
      await keepGroupNotice(this, app, users, { groupId, groupType, reportType: how === 'quit' ? 8 : 4, by, at }, ctx);
    },
  },
  [BUS.GROUP_MEMBER_CHANGED]: {
    async handler(this: ConversationsService, ctx: Context<GroupMemberChanged>) {
      const { app, groupId, groupType, user, patch } = ctx.params;
      // Live rooms have no conversation in the list (group-sessions.ts).
      if (groupType === 'AVChatRoom' || (patch.readSeq === undefined && patch.msgFlag === undefined)) return;
      await this.inbox(app, user, { op: 'touch', convs: [`GROUP${groupId}`], now: Date.now() }, ctx).catch(touched(this, `group ${groupId} of ${user}`));
    },
  },
  [BUS.C2C_RECALLED]: {
    async handler(this: ConversationsService, ctx: Context<C2CRecalled>) {
      await touchLastMessage(this, ctx.params.app, [ctx.params.from, ctx.params.to], ctx.params.msgKey, ctx);
    },
  },
  [BUS.C2C_MODIFIED]: {
    async handler(this: ConversationsService, ctx: Context<C2CModified>) {
      await touchLastMessage(this, ctx.params.app, ctx.params.users, ctx.params.msgKey, ctx);
    },
  },
  [BUS.PROFILE_CHANGED]: {
    async handler(this: ConversationsService, ctx: Context<ProfileChanged>) {
      const { app, userId, items } = ctx.params;
      if (!items.some((i) => LISTED_TAGS.has(i.Tag))) return;
      await touchPeersOf(this, app, userId, ctx).catch(touched(this, `profile of ${userId}`));
    },
  },
};
