/** What the group actions share: the caller as the actor sees it, accounts, views. */
import type { ActionSchema, Context, ServiceBroker } from 'moleculer';
import { GROUP_CODES, JOINED_GROUP, joinedStream, LEFT_GROUP, type FieldRules, type GroupView, type Who } from '../../actors/group';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { groupSettings } from '../../actors/apps/settings/app-settings';
import { appDirectory } from '../apps/registry';
import { DomainError } from '../../runtime/kind';
import { commandParams, type Caller } from '../commands/commands';
import type { GroupsService } from './types';
import { accountsOf } from '../accounts/client';

/** Group-service codes for the command table: 10004 bad params, 10002 internal. */
export const GROUP_TENCENT = { invalidCode: 10004, internalCode: 10002 } as const;

/** Commands whose Community twin is a command of its own (a different list). */
const OWN_COMMUNITY_TWIN = new Set(['get_joined_group_list', 'get_pendency']);

/**
 * A group command's entry in the command table. The SDK sends any group command about a
 * Community (type Community, or an id starting `@TGS#_`) to million_group_open_http_svc under the
 * same name [bundle: `_updateService`], so each SDK command is also served there.
 */
export function groupCommand<H>(name: string, summary: string, body: Record<string, unknown>, handler: H, user = false): ActionSchema {
  const [service, cmd] = name.split('/');
  const twin = user && service === 'group_open_http_svc' && !OWN_COMMUNITY_TWIN.has(cmd);
  const tencent = { command: name, summary, user, ...GROUP_TENCENT, ...(twin ? { aliases: [`million_group_open_http_svc/${cmd}`] } : {}) };
  return { tencent, params: commandParams(body), handler } as unknown as ActionSchema;
}

export const whoOf = (caller: Caller): Who => ({ id: caller.id, admin: caller.kind === 'admin' });

/** The member a command is about: the SDK user themself, or the account an administrator names. */
export function subject(caller: Caller, account: string | undefined): string {
  if (caller.kind === 'user') return caller.id;
  if (!account) throw new DomainError(GROUP_CODES.INVALID, 'name the member account');
  return account;
}

/** Accounts among `ids` that were imported; the rest are reported by the caller. */
export function importedAmong(svc: GroupsService, app: number, ids: string[], ctx: Context): Promise<Set<string>> {
  return accountsOf(svc.broker).importedAmong(app, ids, ctx);
}

export async function requireAccounts(svc: GroupsService, app: number, ids: string[], ctx: Context): Promise<void> {
  const ok = await importedAmong(svc, app, ids, ctx);
  const missing = ids.find((id) => !ok.has(id));
  if (missing !== undefined) throw new DomainError(GROUP_CODES.INVALID, `${missing} is not an imported account`);
}

/** The app's custom group and member fields with their permissions (actors/apps/settings/group-fields.ts). */
export function fieldRulesOf(svc: GroupsService, app: number): FieldRules {
  const g = groupSettings(appDirectory(svc.broker).get(app)?.settings ?? {});
  return { group: g.groupFields ?? [], member: g.memberFields ?? [] };
}

export const view = (svc: GroupsService, app: number, groupId: string, ctx: Context, viewer?: Who) => svc.group<GroupView>(app, groupId, { op: 'view', viewer }, ctx);

/** A view, or the Tencent error of this one group (for list replies with per-group codes). */
export async function viewOrError(svc: GroupsService, app: number, groupId: string, ctx: Context, viewer?: Who): Promise<GroupView | { GroupId: string; ErrorCode: number; ErrorInfo: string }> {
  try {
    return await view(svc, app, groupId, ctx, viewer);
  } catch (err) {
    const code = (err as { data?: { code?: number } }).data?.code;
    if (typeof code !== 'number') throw err;
    return { GroupId: groupId, ErrorCode: code, ErrorInfo: (err as Error).message };
  }
}

/** A group as a membership feed lists it: its type, and whether the feed's user created it. */
export interface FeedGroup {
  type: string;
  created: boolean;
}

/**
 * The groups a membership feed lists now, in the order they joined it: a user's joined-group
 * feed (never a scan over groups) or an app's group feed (actors/group/events.ts).
 */
export async function groupsOfFeed(broker: ServiceBroker, stream: string): Promise<Map<string, FeedGroup>> {
  const groups = new Map<string, FeedGroup>();
  for (const e of await runtimeOf(broker).store.read(stream, 0)) {
    const data = e.data as { groupId: string; type?: string; created?: boolean };
    if (e.type === JOINED_GROUP) groups.set(data.groupId, { type: data.type ?? '', created: data.created ?? false });
    else if (e.type === LEFT_GROUP) groups.delete(data.groupId);
  }
  return groups;
}

/** The groups a user belongs to. */
export async function joinedGroups(svc: GroupsService, app: number, user: string): Promise<string[]> {
  return [...(await groupsOfFeed(svc.broker, joinedStream(app, user))).keys()];
}
