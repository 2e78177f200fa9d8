/**
 * all_member_push: attribute names of the app (im_set_attr_name, im_get_attr_name, kept in the
 * app's push settings), and users' attributes and tags (im_get_attr, im_set_attr,
 * im_remove_attr, im_get_tag, im_add_tag, im_remove_tag, im_remove_all_tags) in each user's
 * push registration. Limits and codes: actors/pushreg/decide.ts (10 tags per user, 1–50 bytes,
 * attribute values ≤ 50 bytes); at most 100 accounts per request.
 */
import type { Context } from 'moleculer';
import { pushregKey, type PushregCommand, type PushregState } from '../../actors/pushreg';
import { pushSettings } from '../../actors/apps/settings/push';
import { DomainError } from '../../runtime/kind';
import type { ActorHostService } from '../../runtime/moleculer/host.mixin';
import { commandParams, type CommandParams } from '../commands/commands';
import { appDirectory } from '../apps/registry';

type Host = ActorHostService<PushregState, PushregCommand, never, PushregState>;
const codes = { invalidCode: 90001, internalCode: 91000 } as const;
const account = { type: 'string', min: 1, max: 64 };
const accounts = { type: 'array', min: 1, max: 100, items: account };
const tagList = { type: 'array', max: 10, items: { type: 'string', max: 200 } };

/** One command per account, in parallel; the first refusal answers the request. */
async function each(host: Host, app: number, users: string[], command: (user: string) => PushregCommand, ctx: Context): Promise<PushregState[]> {
  return Promise.all(users.map((user) => host.actorCall(pushregKey(app, user), command(user), ctx)));
}

const attrNamesOf = (host: Host, app: number) => pushSettings(appDirectory(host.broker).get(app)?.settings ?? {}).attrNames;

type UserItems<V> = { UserAttrs?: { To_Account: string; Attrs: V }[]; UserTags?: { To_Account: string; Tags: string[] }[] };

export const tagActions = {
  setAttrNames: {
    tencent: { command: 'all_member_push/im_set_attr_name', summary: 'Name the app attributes "0"–"9"', ...codes },
    params: commandParams({ AttrNames: { type: 'object' } }),
    async handler(this: Host, ctx: Context<CommandParams<{ AttrNames: Record<string, unknown> }>>) {
      const { app, body } = ctx.params;
      const names = { ...attrNamesOf(this, app) };
      for (const [k, v] of Object.entries(body.AttrNames)) {
        if (!/^[0-9]$/.test(k) || typeof v !== 'string' || v === '' || Buffer.byteLength(v) > 50) throw new DomainError(90033, 'AttrNames maps "0"–"9" to names of 1–50 bytes');
        names[k] = v;
      }
      if (new Set(Object.values(names)).size !== Object.keys(names).length) throw new DomainError(90033, 'attribute names must differ');
      await ctx.call('apps.update', { sdkAppId: app, settings: { push: { ...pushSettings(appDirectory(this.broker).get(app)?.settings ?? {}), attrNames: names } } });
      return {};
    },
  },
  getAttrNames: {
    tencent: { command: 'all_member_push/im_get_attr_name', summary: 'The app attribute names', ...codes },
    params: commandParams({}),
    handler(this: Host, ctx: Context<CommandParams<object>>) {
      return { AttrNames: attrNamesOf(this, ctx.params.app) };
    },
  },
  getAttrs: {
    tencent: { command: 'all_member_push/im_get_attr', summary: 'Attributes of users', ...codes },
    params: commandParams({ To_Account: accounts }),
    async handler(this: Host, ctx: Context<CommandParams<{ To_Account: string[] }>>) {
      const { app, body } = ctx.params;
      const states = await each(this, app, body.To_Account, () => ({ op: 'get' }), ctx);
      return { UserAttrs: body.To_Account.map((u, i) => ({ To_Account: u, Attrs: states[i].attrs })) };
    },
  },
  setAttrs: {
    tencent: { command: 'all_member_push/im_set_attr', summary: 'Set attributes of users', ...codes },
    params: commandParams({ UserAttrs: { type: 'array', min: 1, max: 100, items: { type: 'object', props: { To_Account: account, Attrs: { type: 'object' } } } } }),
    async handler(this: Host, ctx: Context<CommandParams<UserItems<Record<string, string>>>>) {
      const { app, body } = ctx.params;
      const names = Object.values(attrNamesOf(this, app));
      await Promise.all(body.UserAttrs!.map((u) => this.actorCall(pushregKey(app, u.To_Account), { op: 'setAttrs', attrs: u.Attrs, names, now: Date.now() }, ctx)));
      return {};
    },
  },
  removeAttrs: {
    tencent: { command: 'all_member_push/im_remove_attr', summary: 'Remove attributes of users', ...codes },
    params: commandParams({ UserAttrs: { type: 'array', min: 1, max: 100, items: { type: 'object', props: { To_Account: account, Attrs: { type: 'array', items: 'string', max: 10 } } } } }),
    async handler(this: Host, ctx: Context<CommandParams<UserItems<string[]>>>) {
      const { app, body } = ctx.params;
      await Promise.all(body.UserAttrs!.map((u) => this.actorCall(pushregKey(app, u.To_Account), { op: 'removeAttrs', names: u.Attrs, now: Date.now() }, ctx)));
      return {};
    },
  },
  getTags: {
    tencent: { command: 'all_member_push/im_get_tag', summary: 'Tags of users', ...codes },
    params: commandParams({ To_Account: accounts }),
    async handler(this: Host, ctx: Context<CommandParams<{ To_Account: string[] }>>) {
      const { app, body } = ctx.params;
      const states = await each(this, app, body.To_Account, () => ({ op: 'get' }), ctx);
      return { UserTags: body.To_Account.map((u, i) => ({ To_Account: u, Tags: states[i].tags })) };
    },
  },
  addTags: {
    tencent: { command: 'all_member_push/im_add_tag', summary: 'Add tags to users', ...codes },
    params: commandParams({ UserTags: { type: 'array', min: 1, max: 100, items: { type: 'object', props: { To_Account: account, Tags: tagList } } } }),
    async handler(this: Host, ctx: Context<CommandParams<UserItems<never>>>) {
      const { app, body } = ctx.params;
      await Promise.all(body.UserTags!.map((u) => this.actorCall(pushregKey(app, u.To_Account), { op: 'addTags', tags: u.Tags, now: Date.now() }, ctx)));
      return {};
    },
  },
  removeTags: {
    tencent: { command: 'all_member_push/im_remove_tag', summary: 'Remove tags of users', ...codes },
    params: commandParams({ UserTags: { type: 'array', min: 1, max: 100, items: { type: 'object', props: { To_Account: account, Tags: tagList } } } }),
    async handler(this: Host, ctx: Context<CommandParams<UserItems<never>>>) {
      const { app, body } = ctx.params;
      await Promise.all(body.UserTags!.map((u) => this.actorCall(pushregKey(app, u.To_Account), { op: 'removeTags', tags: u.Tags, now: Date.now() }, ctx)));
      return {};
    },
  },
  removeAllTags: {
    tencent: { command: 'all_member_push/im_remove_all_tags', summary: 'Remove every tag of users', ...codes },
    params: commandParams({ To_Account: accounts }),
    async handler(this: Host, ctx: Context<CommandParams<{ To_Account: string[] }>>) {
      const { app, body } = ctx.params;
      await each(this, app, body.To_Account, () => ({ op: 'removeAllTags', now: Date.now() }), ctx);
      return {};
    },
  },
};
