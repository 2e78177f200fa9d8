/**
 * groups — groups and their members. Tencent commands (REST administrators and SDK users):
 * group_open_http_svc/get_joined_group_list and its community twin
 * million_group_open_http_svc/get_joined_group_list.
 *
 * No command creates a group yet, so nobody has joined one: the lists are empty with
 * TotalCount 0, which ends the SDK's paging (it asks while Offset + Limit < TotalCount). The
 * group actors and the joined-groups read model, when they come, fill them.
 * Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { subjectOf } from './lib/caller';
import { commandParams, type CommandParams } from './rest/commands';

/** Group-service codes: 10004 bad params, 10002 internal. */
const group = { invalidCode: 10004, internalCode: 10002, user: true } as const;
const num = { type: 'number', integer: true, min: 0, optional: true };

interface JoinedBody {
  Member_Account?: string;
  Limit?: number;
  Offset?: number;
}

const joinedBody = {
  Member_Account: { type: 'string', optional: true },
  Limit: { type: 'number', integer: true, min: 1, max: 10000, optional: true },
  Offset: num,
  GroupType: { type: 'string', optional: true },
  ResponseFilter: { type: 'object', optional: true },
  SupportTopic: num,
  NeedAppDefineData: num,
};

/** Groups the user belongs to, by kind; none can exist yet. */
const joinedOf = (_app: number, _userId: string, _community: boolean) => [] as object[];

function joined(community: boolean) {
  return (ctx: Context<CommandParams<JoinedBody>>) => {
    const { app, caller, body } = ctx.params;
    const all = joinedOf(app, subjectOf(caller, body.Member_Account, group.invalidCode), community);
    const offset = body.Offset ?? 0;
    return { GroupIdList: all.slice(offset, offset + (body.Limit ?? all.length)), TotalCount: all.length };
  };
}

const groups: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'groups',
  actions: {
    joinedList: {
      tencent: { command: 'group_open_http_svc/get_joined_group_list', summary: 'Groups a user belongs to', ...group },
      params: commandParams(joinedBody),
      handler: joined(false),
    },
    joinedCommunities: {
      tencent: { command: 'million_group_open_http_svc/get_joined_group_list', summary: 'Communities a user belongs to', ...group },
      params: commandParams(joinedBody),
      handler: joined(true),
    },
  },
};

export default groups;
