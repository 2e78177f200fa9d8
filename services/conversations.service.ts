/**
 * conversations — each user's conversation list and conversation groups.
 * Tencent commands (SDK users and REST administrators): recentcontact/page_get,
 * recentcontact/get_contact_group.
 *
 * Conversations appear with messages, and no message can be sent yet, so every list is empty;
 * the answers say so with complete paging (CompleteFlag 1), which is what stops the SDK asking
 * again. The conversation read model, when messaging lands, fills them.
 * Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { subjectOf } from './lib/caller';
import { commandParams, type CommandParams } from './rest/commands';

/** Recent-contact codes: 50002 bad params, 50004 internal. */
const recent = { invalidCode: 50002, internalCode: 50004, display: true, user: true } as const;
const num = { type: 'number', integer: true, min: 0, optional: true };

interface PageBody {
  From_Account?: string;
  TimeStamp?: number;
  StartIndex?: number;
  TopTimeStamp?: number;
  TopStartIndex?: number;
}

/** The user's conversations and conversation groups; none can exist yet. */
const listsOf = (_app: number, _userId: string) => ({ sessions: [] as object[], groups: [] as object[], contacts: [] as object[] });

const conversations: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'conversations',
  actions: {
    pageGet: {
      tencent: { command: 'recentcontact/page_get', summary: 'Conversation list, paged by time', ...recent },
      params: commandParams({
        From_Account: { type: 'string', optional: true },
        TimeStamp: num,
        StartIndex: num,
        TopTimeStamp: num,
        TopStartIndex: num,
        OrderType: num,
        MsgAssistFlags: num,
        AssistFlags: num,
      }),
      handler(ctx: Context<CommandParams<PageBody>>) {
        const { app, caller, body } = ctx.params;
        const { sessions } = listsOf(app, subjectOf(caller, body.From_Account, recent.invalidCode));
        // The four cursor fields come back for the next page; CompleteFlag 1 ends paging.
        return { SessionItem: sessions, CompleteFlag: 1, TimeStamp: Math.floor(Date.now() / 1000), StartIndex: 0, TopTimeStamp: 0, TopStartIndex: 0 };
      },
    },
    contactGroupGet: {
      tencent: { command: 'recentcontact/get_contact_group', summary: 'Conversation groups', ...recent },
      params: commandParams({ From_Account: { type: 'string', optional: true }, StartIndex: num }),
      handler(ctx: Context<CommandParams<PageBody>>) {
        const { app, caller, body } = ctx.params;
        const { groups, contacts } = listsOf(app, subjectOf(caller, body.From_Account, recent.invalidCode));
        return { GroupItem: groups, ContactItem: contacts, CompleteFlag: 1, NextStartIndex: 0 };
      },
    },
  },
};

export default conversations;
