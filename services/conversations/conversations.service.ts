/**
 * conversations — each user's conversation list, for SDK users and REST administrators alike.
 * One-to-one conversations come from the user's inbox actor (hosted by the inboxes service);
 * their last message's content from the conversation's stream.
 * Tencent commands: recentcontact/{page_get, get_contact_group, get_list, delete, batch_delete,
 * clear_msg}.
 * Emits nothing; consumes nothing.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import type { Contact, InboxCommand, InboxReply } from '../../actors/inbox';
import { userKey } from '../../actors/user';
import { routerOf } from '../../runtime/moleculer/router';
import * as bodies from './bodies';
import { batchDeleteReply, lastMessageOf, pageGetReply, restSessionItem, sdkSessionItem } from './sessions';
import { subjectOf } from '../commands/subject';
import { commandParams, type CommandParams } from '../commands/commands';
import { fitting } from '../commands/reply-budget';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { accountsOf } from '../accounts/client';

type ContactPage = { contacts: Contact[]; total: number; complete: boolean; version: number };

type ConversationsService = Service & {
  inbox<R extends InboxReply>(app: number, user: string, command: InboxCommand, ctx: Context): Promise<R>;
  profileOf(app: number, user: string, ctx: Context): Promise<{ nick: string; faceUrl: string }>;
  removeContact(app: number, user: string, peer: string, clear: boolean, ctx: Context): Promise<void>;
};

/** Recent-contact codes: 50002 bad params, 50004 internal. */
const recent = { invalidCode: 50002, internalCode: 50004, display: true } as const;
/** Conversations per page_get page (the SDK asks again until CompleteFlag is 1). */
const SDK_PAGE = 50;
/** Contacts per get_list page. */
const REST_PAGE = 100;

const clientSeqOf = (msgKey: string) => Number(msgKey.split('_')[0]) || 0;

const conversations: ServiceSchema<ServiceSettingSchema, ConversationsService> = {
  name: 'conversations',
  actions: {
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
            return sdkSessionItem(c, last, peer, clientSeqOf(c.lastMsgKey));
          }),
        );
        // Each item carries its last message (up to 12 KB): a page ends early at REPLY_BUDGET_BYTES.
        const sent = fitting(items);
        const complete = page.complete && sent.length === items.length;
        return pageGetReply(sent, complete ? undefined : offset + sent.length, Math.floor(Date.now() / 1000));
      },
    },
    contactGroupGet: {
      tencent: { command: 'recentcontact/get_contact_group', summary: 'Conversation groups', user: true, ...recent },
      params: commandParams(bodies.contactGroupBody),
      handler(ctx: Context<CommandParams<bodies.ContactGroupBody>>) {
        const { caller, body } = ctx.params;
        subjectOf(caller, body.From_Account, recent.invalidCode);
        // No conversation groups yet: an empty, complete list (CompleteFlag 1 stops the SDK asking).
        return { GroupItem: [], ContactItem: [], CompleteFlag: 1, NextStartIndex: 0 };
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
          SessionItem: page.contacts.map(restSessionItem),
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
    async removeContact(this: ConversationsService, app, user, peer, clear, ctx) {
      await this.inbox(app, user, { op: 'deleteContact', peer, now: Date.now() }, ctx);
      if (clear) await ctx.call('messages.deleteHistory', { app, user, peer });
    },
  },
};

export default conversations;
