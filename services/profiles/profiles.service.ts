/**
 * profiles — user profiles: the standard fields and the app's custom ones (services/profiles/
 * fields.ts, actors/apps/settings/relations.ts), each with read and write permission for app users and
 * administrators. Tencent commands: profile/portrait_get (SDK: portrait_get_all) and
 * profile/portrait_set, for administrators (REST) and users (the SDK's getMyProfile,
 * getUserProfile, updateMyProfile).
 * Profiles live in the user actor (hosted by accounts), which queues Profile.CallbackPortraitSet
 * with each change and publishes user.profile.changed after it. Consumes user.profile.changed:
 * pushes the change to the user's own devices (friends push it to those who have the user as a
 * friend). Emits nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { DomainError } from '../../runtime/kind';
import { relationSettings } from '../../actors/apps/settings/app-settings';
import { isValidUserId } from '../../actors/apps/settings/limits';
import { appDirectory } from '../apps/registry';
import { deliverToUser } from '../connector/delivery';
import { PUSH_SERVCMD } from '../connector/replies';
import { profilePush } from './pushes';
import { BUS, type ProfileChanged } from '../events';
import { subjectOf } from '../commands/subject';
import { fieldsOf, PROFILE, profileItems, readableTags, validateItems, visibleToUsers, type FieldDef } from './fields';
import { commandParams, viaOf, type CommandParams } from '../commands/commands';
import { accountsOf } from '../accounts/client';

const profile = { invalidCode: PROFILE.INVALID, internalCode: PROFILE.INTERNAL, display: true, user: true } as const;

/** REST sends To_Account + TagList; the SDK sends UserItem (and asks for every tag). */
export interface PortraitGetBody {
  To_Account?: string[];
  TagList?: string[];
  UserItem?: { To_Account: string }[];
}

const portraitGetBody = {
  To_Account: { type: 'array', items: 'string', min: 1, max: 100, optional: true },
  TagList: { type: 'array', items: 'string', max: 100, optional: true },
  UserItem: { type: 'array', min: 1, max: 100, optional: true, items: { type: 'object', props: { To_Account: 'string' } } },
};

export interface PortraitSetBody {
  From_Account?: string;
  ProfileItem: { Tag: string; Value: unknown }[];
}

const portraitSetBody = {
  From_Account: { type: 'string', optional: true },
  ProfileItem: { type: 'array', min: 1, max: 100, items: { type: 'object', props: { Tag: 'string', Value: 'any' } } },
};

export interface UserProfileItem {
  To_Account: string;
  ProfileItem: { Tag: string; Value: string | number }[];
  ResultCode: number;
  ResultInfo: string;
}

const profiles: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'profiles',
  events: {
    [BUS.PROFILE_CHANGED]: {
      async handler(this: Service, ctx: Context<ProfileChanged>) {
        const { app, userId } = ctx.params;
        // Fields only administrators may read are never pushed, to the user or anyone.
        const items = visibleToUsers(ctx.params.items, fieldDefs(this, app));
        if (items.length === 0) return;
        await deliverToUser(this.broker, app, userId, PUSH_SERVCMD, profilePush(userId, items)).catch((err: Error) => this.logger.warn(`profile push to ${userId} failed: ${err.message}`));
      },
    },
  },
  actions: {
    portraitGet: {
      tencent: { command: 'profile/portrait_get', aliases: ['profile/portrait_get_all'], summary: 'Profile fields of up to 100 users', ...profile },
      params: commandParams(portraitGetBody),
      async handler(this: Service, ctx: Context<CommandParams<PortraitGetBody>>) {
        const { app, caller, body } = ctx.params;
        const accounts = body.To_Account ?? body.UserItem?.map((u) => u.To_Account);
        if (!accounts) throw new DomainError(PROFILE.INVALID, 'To_Account or UserItem must list at least one account');
        const tags = readableTags(body.TagList, fieldDefs(this, app), caller.kind);
        const items = await Promise.all(accounts.map((id) => profileOf(this, app, id, tags)));
        const failed = items.filter((i) => i.ResultCode !== 0).map((i) => i.To_Account);
        // Tencent answers 40003 for the whole call when no account of it exists.
        if (failed.length === accounts.length && accounts.length > 0) throw new DomainError(PROFILE.NO_SUCH_USER, 'no such account');
        return { UserProfileItem: items, Fail_Account: failed };
      },
    },
    portraitSet: {
      tencent: { command: 'profile/portrait_set', summary: 'Set profile fields of a user', ...profile },
      params: commandParams(portraitSetBody),
      async handler(this: Service, ctx: Context<CommandParams<PortraitSetBody>>) {
        const { app, caller, body } = ctx.params;
        const owner = subjectOf(caller, body.From_Account, PROFILE.INVALID);
        if (!isValidUserId(owner)) throw new DomainError(PROFILE.INVALID, 'invalid From_Account');
        const valid = validateItems(body.ProfileItem, fieldDefs(this, app), caller.kind);
        // A change reaches devices through user.profile.changed, published after the append.
        await accountsOf(this.broker).call(app, owner, { op: 'setProfile', ...valid, now: Date.now(), operator: caller.id, via: viaOf(caller) });
        return {};
      },
    },
  },
};

function fieldDefs(svc: Service, app: number): Map<string, FieldDef> {
  return fieldsOf(relationSettings(appDirectory(svc.broker).get(app)?.settings ?? {}).profileFields);
}

async function profileOf(svc: Service, app: number, id: string, tags: string[]): Promise<UserProfileItem> {
  const user = isValidUserId(id) ? await accountsOf(svc.broker).get(app, id) : undefined;
  if (!user?.imported) return { To_Account: id, ProfileItem: [], ResultCode: PROFILE.NO_SUCH_USER, ResultInfo: 'the account does not exist' };
  return { To_Account: id, ProfileItem: profileItems(user, tags), ResultCode: 0, ResultInfo: '' };
}

export default profiles;
