/**
 * profiles — user profiles. Tencent commands: profile/portrait_get (REST, app
 * administrators) and its SDK twin profile/portrait_get_all (WebSocket users), served by one
 * action: a logged-in user reads public profile fields, as an administrator does.
 * Reads the user actor (hosted by accounts) for Nick and FaceUrl; custom fields, portrait_set
 * and profile sequences arrive with the profile feature.
 * Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema, Service } from 'moleculer';
import { userKey, type UserReply } from '../actors/user';
import { isValidUserId } from '../config/limits';
import { routerOf } from './actors/router';
import { commandParams, type CommandParams } from './rest/commands';

/** Profile-service codes: 40001 bad params, 40003 no such user, 40006 internal. */
const INVALID = 40001;
const NO_SUCH_USER = 40003;
const INTERNAL = 40006;

export const TAG_NICK = 'Tag_Profile_IM_Nick';
export const TAG_IMAGE = 'Tag_Profile_IM_Image';
const STANDARD_TAGS = [TAG_NICK, TAG_IMAGE];

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

interface ProfileItem {
  Tag: string;
  Value: string;
}

export interface UserProfileItem {
  To_Account: string;
  ProfileItem: ProfileItem[];
  ResultCode: number;
  ResultInfo: string;
}

const profiles: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'profiles',
  actions: {
    portraitGet: {
      tencent: {
        command: 'profile/portrait_get',
        aliases: ['profile/portrait_get_all'],
        user: true,
        display: true,
        summary: 'Profile fields of up to 100 users',
        invalidCode: INVALID,
        internalCode: INTERNAL,
      },
      params: commandParams(portraitGetBody),
      async handler(this: Service, ctx: Context<CommandParams<PortraitGetBody>>) {
        const { app, body } = ctx.params;
        const accounts = body.To_Account ?? body.UserItem?.map((u) => u.To_Account);
        if (!accounts) throw Object.assign(new Error('To_Account or UserItem must list at least one account'), { data: { code: INVALID } });
        const tags = body.TagList && body.TagList.length > 0 ? body.TagList : STANDARD_TAGS;
        const items = await Promise.all(accounts.map((id) => profileOf(this, app, id, tags)));
        return { UserProfileItem: items, Fail_Account: items.filter((i) => i.ResultCode !== 0).map((i) => i.To_Account) };
      },
    },
  },
};

async function profileOf(svc: Service, app: number, id: string, tags: string[]): Promise<UserProfileItem> {
  const user = isValidUserId(id) ? await routerOf(svc.broker).call<UserReply>('accounts', userKey(app, id), { op: 'get' }) : undefined;
  if (!user?.imported) return { To_Account: id, ProfileItem: [], ResultCode: NO_SUCH_USER, ResultInfo: 'the account does not exist' };
  const values: Record<string, string> = { [TAG_NICK]: user.nick ?? '', [TAG_IMAGE]: user.faceUrl ?? '' };
  const ProfileItem = tags.filter((t) => t in values && values[t] !== '').map((Tag) => ({ Tag, Value: values[Tag] }));
  return { To_Account: id, ProfileItem, ResultCode: 0, ResultInfo: '' };
}

export default profiles;
