/**
 * conversations — each user's conversation list and conversation settings, for SDK users and
 * REST administrators alike. One-to-one conversations come from the user's inbox actor (hosted
 * by the inboxes service); their last message's content from the conversation's stream. Pins,
 * marks, conversation groups and do-not-disturb are kept by the same actor
 * (settings-actions.ts, mute-actions.ts; docs/conversations.md says why).
 * Tencent commands: recentcontact/{page_get, get_list, delete, batch_delete, clear_msg, top,
 * mark_contact, create_contact_group, update_contact_group, del_contact_group,
 * search_contact_group, get_contact_group}, openim/{get,set}_c2c_peer_mute_notifications,
 * im_msg_db_logic/{ws_set,ws_get}_do_not_disturb.
 * Emits nothing; consumes nothing. Pushes settings changes to the user's other devices.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import type { ContactPage } from '../../actors/inbox';
import { userKey } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';
import * as bodies from './bodies';
import { batchDeleteReply, lastMessageOf, pageGetReply, restSessionItem, sdkSessionItem } from './sessions';
import { subjectOf } from '../commands/subject';
import { commandParams, type CommandParams } from '../commands/commands';
import { fitting } from '../commands/reply-budget';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { accountsOf } from '../accounts/client';
import { deliverToUser } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { settingsActions } from './settings-actions';
import { muteActions } from './mute-actions';
import { deletePush, groupItem } from './settings-wire';
import { RECENT as recent, type ConversationsService } from './types';

/** Conversations per page_get page (the SDK asks again until CompleteFlag is 1). */
const SDK_PAGE = 50;
/** Contacts per get_list page. */
const REST_PAGE = 100;

const clientSeqOf = (msgKey: string) => Number(msgKey.split('_')[0]) || 0;

const conversations: ServiceSchema<ServiceSettingSchema, ConversationsService> = {
  name: 'conversations',
  actions: {
    ...settingsActions,
    ...muteActions,
    pageGet: {
      tencent: { command: 'recentcontact/page_get', summary: 'Conversation list, paged by time', user: true, ...recent },
      params: commandParams(bodies.pageGetBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.PageGetBody>>) {
        const { app, caller, body } = ctx.params;
        const user = subjectOf(caller, body.From_Account, recent.invalidCode);
        const offset = body.StartIndex ?? 0;
        const page = await this.inbox<ContactPage>(app, user, { op: 'list', offset, limit: SDK_PAGE }, ctx);
        const { store } = runtimeOf(this.broker);
        const items = await Promise.all(
          page.contacts.map(async (c) => {
            const [last, peer] = await Promise.all([lastMessageOf(store, app, user, c), this.profileOf(app, c.peer, ctx)]);
            return sdkSessionItem(c, last, peer, clientSeqOf(c.lastMsgKey), page.settings[`C2C${c.peer}`]);
          }),
        );
        // Each item carries its last message (up to 12 KB): a page ends early at REPLY_BUDGET_BYTES.
        const sent = fitting(items);
        const complete = page.complete && sent.length === items.length;
        // GroupItem: the conversation groups the items' ContactGroupId name (the SDK reads them from here first).
        return { ...pageGetReply(sent, complete ? undefined : offset + sent.length, Math.floor(Date.now() / 1000)), GroupItem: page.contactGroups.map(groupItem) };
      },
    },
    list: {
      tencent: { command: 'recentcontact/get_list', summary: 'Page a user’s recent contacts, newest first', ...recent },
      params: commandParams(bodies.contactListBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.ContactListBody>>) {
        const { app, body } = ctx.params;
        const offset = body.StartIndex ?? 0;
        const page = await this.inbox<ContactPage>(app, body.From_Account, { op: 'list', offset, limit: REST_PAGE }, ctx);
        return {
          CompleteFlag: page.complete ? 1 : 0,
          TimeStamp: Math.floor(Date.now() / 1000),
          StartIndex: page.complete ? 0 : offset + page.contacts.length,
          TopTimeStamp: 0,
          TopStartIndex: 0,
          SessionItem: page.contacts.map((c) => restSessionItem(c, page.settings[`C2C${c.peer}`])),
        };
      },
    },
    deleteContact: {
      tencent: { command: 'recentcontact/delete', summary: 'Remove a conversation from a user’s recent contacts', ...recent },
      params: commandParams(bodies.contactDeleteBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.ContactDeleteBody>>) {
        const { app, body } = ctx.params;
        if (body.Type !== 1 || !body.To_Account) return {}; // group conversations arrive with groups
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
        if (peers.length) this.pushToUser(app, user, deletePush(peers.map((p) => `C2C${p}`)), caller);
        return batchDeleteReply(peers);
      },
    },
    clearHistory: {
      tencent: { command: 'recentcontact/clear_msg', summary: 'Clear a conversation’s history on the caller’s side (SDK clearHistoryMessage)', user: true, ...recent },
      params: commandParams(bodies.clearBody),
      async handler(this: ConversationsService, ctx: Context<CommandParams<bodies.ClearBody>>) {
        const { app, caller, body } = ctx.params;
        const user = subjectOf(caller, body.From_Account, recent.invalidCode);
        if (body.Type === 1 && body.To_Account) await ctx.call('messages.deleteHistory', { app, user, peer: body.To_Account });
        return {};
      },
    },
  },
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
