/**
 * conversations — each user's conversation list and conversation settings, for SDK users and
 * REST administrators alike. One-to-one conversations come from the user's inbox actor (hosted
 * by the inboxes service); their last message's content from the conversation's stream. Group
 * conversations from the groups context (group-sessions.ts), with what the user deleted or
 * cleared from the inbox (group-deletes.ts). Pins,
 * marks, conversation groups and do-not-disturb are kept by the same actor
 * (settings-actions.ts, mute-actions.ts; docs/conversations.md says why). The SDK's list,
 * full or incremental after a reconnect, is page-get.ts.
 * Tencent commands: recentcontact/{page_get, get_list, delete, batch_delete, clear_msg, top,
 * mark_contact, create_contact_group, update_contact_group, del_contact_group,
 * search_contact_group, get_contact_group}, openim/{get,set}_c2c_peer_mute_notifications,
 * im_msg_db_logic/{ws_set,ws_get}_do_not_disturb.
 * Emits nothing. Consumes group.member.changed, message.c2c.recalled, message.c2c.modified and
 * user.profile.changed (changes for the incremental list), group.destroyed and group.member.left
 * (group notices kept for offline devices): list-touches.ts. Pushes settings changes to the
 * user's other devices.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import type { ContactPage } from '../../actors/inbox';
import { userKey } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';
import * as bodies from './bodies';
import { batchDeleteReply, restSessionItem } from './sessions';
import { subjectOf } from '../commands/subject';
import { commandParams, type CommandParams } from '../commands/commands';
import { accountsOf } from '../accounts/client';
import { deliverToUser } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { settingsActions } from './settings-actions';
import { muteActions } from './mute-actions';
import { deletePush } from './settings-wire';
import { groupSessions, merge, nextCursor, restGroupItem, splitCursor } from './group-sessions';
import { pageGet } from './page-get';
import { listTouchEvents } from './list-touches';
import { groupsOfPass, passKey, restPass } from './list-cursor';
import { clearGroupHistory, deleteGroupConvs } from './group-deletes';
import { RECENT as recent, type ConversationsService } from './types';

/** Contacts per get_list page. */
const REST_PAGE = 100;

const conversations: ServiceSchema<ServiceSettingSchema, ConversationsService> = {
  name: 'conversations',
  actions: {
    ...settingsActions,
    ...muteActions,
    pageGet: {
      tencent: { command: 'recentcontact/page_get', summary: 'Conversation list, paged; incremental from the last list’s cursor', user: true, ...recent },
      params: commandParams(bodies.pageGetBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.PageGetBody>>) {
        const { app, caller, body } = ctx.params;
        // Full, or incremental from the cursor of the SDK's last list (page-get.ts).
        return pageGet(this, app, subjectOf(caller, body.From_Account, recent.invalidCode), body, ctx);
      },
    },
    list: {
      tencent: { command: 'recentcontact/get_list', summary: 'Page a user’s recent contacts, newest first', ...recent },
      params: commandParams(bodies.contactListBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.ContactListBody>>) {
        const { app, body } = ctx.params;
        const start = splitCursor(body.StartIndex ?? 0);
        // The groups are asked once per pass, as for the SDK (list-cursor.ts), when the pages echo the first one's TimeStamp.
        const pass = restPass(body, Math.floor(Date.now() / 1000));
        const [page, groups] = await Promise.all([
          this.inbox<ContactPage>(app, body.From_Account, { op: 'list', offset: start.c2c, limit: REST_PAGE }, ctx),
          pass.key ? groupsOfPass(`${passKey(app, body.From_Account, pass.cursor)}:rest`, pass.cursor.first, () => groupSessions(this, app, body.From_Account, ctx)) : groupSessions(this, app, body.From_Account, ctx),
        ]);
        const merged = merge(page.contacts, groups, start.groups, REST_PAGE);
        const next = nextCursor(merged, start, page.complete, page.contacts.length, groups.length);
        return {
          CompleteFlag: next === undefined ? 1 : 0,
          TimeStamp: pass.cursor.anchor.time,
          StartIndex: next ?? 0,
          TopTimeStamp: 0,
          TopStartIndex: 0,
          SessionItem: merged.map((m) => (m.kind === 'group' ? restGroupItem(m.session) : restSessionItem(m.contact, page.settings[`C2C${m.contact.peer}`]))),
        };
      },
    },
    deleteContact: {
      tencent: { command: 'recentcontact/delete', summary: 'Remove a conversation from a user’s recent contacts', ...recent },
      params: commandParams(bodies.contactDeleteBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.ContactDeleteBody>>) {
        const { app, body } = ctx.params;
        if (body.Type === 2) {
          const deleted = await deleteGroupConvs(this, app, body.From_Account, body.ToGroupid ? [body.ToGroupid] : [], body.ClearRamble === 1, ctx);
          if (deleted.length) this.pushToUser(app, body.From_Account, deletePush(deleted.map((g) => `GROUP${g}`)), ctx.params.caller);
          return {};
        }
        if (!body.To_Account) return {};
        await this.removeContact(app, body.From_Account, body.To_Account, body.ClearRamble === 1, ctx);
        this.pushToUser(app, body.From_Account, deletePush([`C2C${body.To_Account}`]), ctx.params.caller);
        return {};
      },
    },
    batchDelete: {
      tencent: { command: 'recentcontact/batch_delete', summary: 'Remove conversations from the list (SDK deleteConversation)', user: true, ...recent },
      params: commandParams(bodies.batchDeleteBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.BatchDeleteBody>>) {
        const { app, caller, body } = ctx.params;
        const user = subjectOf(caller, body.From_Account, recent.invalidCode);
        const peers = body.ContactItem.filter((c) => c.Type === 1 && c.To_Account).map((c) => c.To_Account as string);
        for (const peer of peers) await this.removeContact(app, user, peer, body.ClearRamble === 1, ctx);
        const groupIds = body.ContactItem.filter((c) => c.Type === 2 && c.ToGroupid).map((c) => c.ToGroupid as string);
        const asked = [...new Set(groupIds)];
        const groups = await deleteGroupConvs(this, app, user, asked, body.ClearRamble === 1, ctx);
        const convs = [...peers.map((p) => `C2C${p}`), ...groups.map((g) => `GROUP${g}`)];
        if (convs.length) this.pushToUser(app, user, deletePush(convs), caller);
        // A group the user no longer belongs to has no conversation on the server: deleting it succeeds, so the SDK drops its local one.
        return batchDeleteReply(peers, asked);
      },
    },
    clearHistory: {
      tencent: { command: 'recentcontact/clear_msg', summary: 'Clear a conversation’s history on the caller’s side (SDK clearHistoryMessage)', user: true, ...recent },
      params: commandParams(bodies.clearBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.ClearBody>>) {
        const { app, caller, body } = ctx.params;
        const user = subjectOf(caller, body.From_Account, recent.invalidCode);
        if (body.Type === 1 && body.To_Account) await ctx.call('messages.deleteHistory', { app, user, peer: body.To_Account });
        if (body.Type === 2 && body.ToGroupid) await clearGroupHistory(this, app, user, body.ToGroupid, ctx);
        return {};
      },
    },
  },
  events: listTouchEvents,
  methods: {
    inbox(this: ConversationsService, app, user, command, ctx) {
      return routerOf(this.broker).call('inboxes', userKey(app, user), command, { parentCtx: ctx });
    },
    async profileOf(this: ConversationsService, app, user, ctx) {
      const reply = await accountsOf(this.broker).get(app, user, ctx);
      return { nick: reply.nick ?? '', faceUrl: reply.faceUrl ?? '' };
    },
    pushToUser(this: ConversationsService, app, user, body, caller) {
      const exceptInstId = caller.kind === 'user' && caller.id === user ? caller.instId : undefined;
      deliverToUser(this.broker, app, user, PUSH_SERVCMD, body, { exceptInstId }).catch((err: Error) => this.logger.warn(`conversation push to ${user} failed: ${err.message}`));
    },
    async removeContact(this: ConversationsService, app, user, peer, clear, ctx) {
      await this.inbox(app, user, { op: 'deleteContact', peer, now: Date.now() }, ctx);
      if (clear) await ctx.call('messages.deleteHistory', { app, user, peer });
    },
  },
};

export default conversations;
