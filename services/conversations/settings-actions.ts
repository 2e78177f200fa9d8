/**
 * Conversation settings commands, for SDK users and REST administrators alike: recentcontact/
 * {top, mark_contact, create_contact_group, update_contact_group, del_contact_group,
 * search_contact_group, get_contact_group}. Each change is decided by the user's inbox actor
 * (all or nothing), then pushed to the user's other devices as the SDK's RecentContactMod.
 */
import type { ActionSchema, Context } from 'moleculer';
import type { ContactGroup, ConvSettingsPage, MarkChange } from '../../actors/inbox';
import { commandParams, type CommandParams } from '../commands/commands';
import { subjectOf } from '../commands/subject';
import * as b from './settings-bodies';
import * as wire from './settings-wire';
import { RECENT, type ConversationsService } from './types';

type Handler<B> = (this: ConversationsService, ctx: Context<CommandParams<B>>, user: string) => Promise<object>;

/** get_contact_group pages: conversations with marks or groups per reply. */
const GROUP_PAGE = 100;

function command<B extends { From_Account?: string }>(name: string, summary: string, body: Record<string, unknown>, handler: Handler<B>): ActionSchema {
  return {
    tencent: { command: `recentcontact/${name}`, summary, user: true, ...RECENT },
    params: commandParams(body),
    handler(this: ConversationsService, ctx: Context<CommandParams<B>>) {
      return handler.call(this, ctx, subjectOf(ctx.params.caller, ctx.params.body.From_Account, RECENT.invalidCode));
    },
  };
}

const settingsOf = (svc: ConversationsService, ctx: Context<CommandParams<unknown>>, user: string, convs: string[]) =>
  svc.inbox<ConvSettingsPage>(ctx.params.app, user, { op: 'convSettings', convs }, ctx);

export const settingsActions: Record<string, ActionSchema> = {
  pin: command<b.PinBody>('top', 'Pin or unpin conversations (SDK pinConversation)', b.pinBody, async function (ctx, user) {
    const { app, caller, body } = ctx.params;
    const convs = body.RecentContactItem.map(wire.convOf);
    const pinned = body.OperationType === 1;
    await this.inbox(app, user, { op: 'pin', convs, pinned, now: Date.now() }, ctx);
    this.pushToUser(app, user, wire.pinPush(convs, pinned), caller);
    return {};
  }),

  mark: command<b.MarkBody>('mark_contact', 'Set standard and custom conversation marks (SDK markConversation, setConversationCustomData)', b.markBody, async function (ctx, user) {
    const { app, caller, body } = ctx.params;
    const items: MarkChange[] = body.MarkItem.map((m) => ({
      conv: wire.convOf(m.ContactItem),
      set: m.OptType === 2 ? [] : (m.SetMark ?? []),
      clear: m.OptType === 2 ? [] : (m.ClearMark ?? []),
      customMark: m.OptType === 1 ? undefined : (m.CustomMark ?? ''),
    }));
    await this.inbox(app, user, { op: 'mark', items, now: Date.now() }, ctx);
    const after = await settingsOf(this, ctx, user, [...new Set(items.map((i) => i.conv))]);
    this.pushToUser(app, user, wire.markPush(after.items), caller);
    return { ResultItem: items.map((i) => wire.resultItem(i.conv)) };
  }),

  createContactGroup: command<b.CreateGroupBody>('create_contact_group', 'Create a conversation group with conversations', b.createGroupBody, async function (ctx, user) {
    const { app, caller, body } = ctx.params;
    const [item] = body.GroupContactItem;
    const convs = [...new Set((item.ContactItem ?? []).map(wire.convOf))];
    const { group } = await this.inbox<{ group: ContactGroup; convs: string[] }>(app, user, { op: 'createContactGroup', name: item.GroupName, convs, now: Date.now() }, ctx);
    this.pushToUser(app, user, wire.groupCreatedPush(group, convs), caller);
    return { GroupResultItem: [{ GroupItem: wire.groupItem(group), ResultItem: convs.map(wire.resultItem) }] };
  }),

  updateContactGroup: command<b.UpdateGroupBody>('update_contact_group', 'Rename a conversation group, or add and remove its conversations', b.updateGroupBody, async function (ctx, user) {
    const { app, caller, body } = ctx.params;
    const u = body.UpdateGroup;
    const now = Date.now();
    if (u.UpdateGroupType === 1) {
      const { group } = await this.inbox<{ group: ContactGroup; convs: string[] }>(app, user, { op: 'renameContactGroup', oldName: u.OldGroupName, newName: u.NewGroupName ?? '', now }, ctx);
      this.pushToUser(app, user, wire.groupRenamedPush(group, u.OldGroupName), caller);
      return { UpdateType: 1, UpdateGroupResult: { UpdateGroupType: 1, GroupId: group.groupId, GroupName: group.name, OldGroupName: u.OldGroupName } };
    }
    const changes = (u.ContactUpdateItem ?? []).map((c) => ({ add: c.ContactOptType === 1, conv: wire.convOf(c.ContactItem) }));
    const add = changes.filter((c) => c.add).map((c) => c.conv);
    const remove = changes.filter((c) => !c.add).map((c) => c.conv);
    const { group } = await this.inbox<{ group: ContactGroup; convs: string[] }>(app, user, { op: 'changeContactGroup', name: u.OldGroupName, add, remove, now }, ctx);
    this.pushToUser(app, user, wire.groupChangedPush(group, add, remove), caller);
    return {
      UpdateType: 1,
      UpdateGroupResult: { UpdateGroupType: 2, GroupId: group.groupId, GroupName: group.name, ContactResultItem: changes.map((c) => wire.resultItem(c.conv)) },
    };
  }),

  deleteContactGroup: command<b.DeleteGroupBody>('del_contact_group', 'Delete conversation groups', b.deleteGroupBody, async function (ctx, user) {
    const { app, caller, body } = ctx.params;
    const { groups } = await this.inbox<{ groups: ContactGroup[] }>(app, user, { op: 'deleteContactGroups', names: [...new Set(body.GroupName)], now: Date.now() }, ctx);
    this.pushToUser(app, user, wire.groupsDeletedPush(groups), caller);
    return { GroupItem: groups.map(wire.groupItem) };
  }),

  searchContactGroup: command<b.SearchBody>('search_contact_group', 'Marks and conversation groups of given conversations (asked by the SDK whenever a conversation appears)', b.searchBody, async function (ctx, user) {
    const page = await settingsOf(this, ctx, user, ctx.params.body.ContactItem.map(wire.convOf));
    return { ContactResultItem: page.items.map(([conv, s]) => wire.settingsItem(conv, s)), GroupItem: page.groups.map(wire.groupItem) };
  }),

  contactGroupGet: command<{ From_Account?: string; StartIndex?: number }>(
    'get_contact_group',
    'Conversation groups, and every conversation with marks or groups, paged',
    { From_Account: { type: 'string', optional: true }, StartIndex: { type: 'number', integer: true, min: 0, optional: true } },
    async function (ctx, user) {
      const offset = ctx.params.body.StartIndex ?? 0;
      const page = await this.inbox<ConvSettingsPage>(ctx.params.app, user, { op: 'convSettings', offset, limit: GROUP_PAGE }, ctx);
      return {
        GroupItem: page.groups.map(wire.groupItem),
        ContactItem: page.items.map(([conv, s]) => wire.settingsItem(conv, s)),
        CompleteFlag: page.complete ? 1 : 0,
        NextStartIndex: page.next,
      };
    },
  ),
};
