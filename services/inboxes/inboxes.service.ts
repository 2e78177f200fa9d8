/**
 * inboxes — each user's sync feed and recent contacts. Hosts the inbox actor (actors/inbox),
 * whose stream conversations also append to; the conversations service reads the contact list
 * from it (recentcontact/*).
 * Tencent commands: openim/get_c2c_unread_msg_num, and for SDK users openim/getmsg (one-to-one sync).
 * Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { inboxKind, type ContactPage, type InboxCommand, type InboxEvent, type InboxReply, type InboxState } from '../../actors/inbox';
import { userKey } from '../../actors/user';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import * as bodies from './bodies';
import { getMsgReply, parseCookie, syncAfter, syncCatchUp, syncUnread } from './sync';
import { commandParams, type CommandParams } from '../commands/commands';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';

type InboxesService = ActorHostService<InboxState, InboxCommand, InboxEvent, InboxReply> & {
  inbox<R extends InboxReply>(app: number, user: string, command: InboxCommand, ctx: Context): Promise<R>;
};


const inboxes: ServiceSchema<ServiceSettingSchema, InboxesService> = {
  name: 'inboxes',
  mixins: [actorHostMixin(inboxKind)],
  actions: {
    unread: {
      tencent: { command: 'openim/get_c2c_unread_msg_num', summary: 'Unread one-to-one messages of a user, in all and per peer', invalidCode: 90001, internalCode: 90994 },
      params: commandParams(bodies.unreadBody),
      async handler(this: InboxesService, ctx: Context<CommandParams<bodies.UnreadBody>>) {
        const { app, body } = ctx.params;
        const reply = await this.inbox<{ total: number; perPeer: Record<string, number> }>(app, body.To_Account, { op: 'unread', peers: body.Peer_Account }, ctx);
        const out: Record<string, unknown> = { AllC2CUnreadMsgNum: reply.total };
        if (body.Peer_Account) out.C2CUnreadMsgNumList = body.Peer_Account.map((p) => ({ Peer_Account: p, C2CUnreadMsgNum: reply.perPeer[p] ?? 0 }));
        return out;
      },
    },
    sync: {
      tencent: { command: 'openim/getmsg', user: true, summary: 'SDK one-to-one sync after a cookie', invalidCode: 90001, internalCode: 90994 },
      params: commandParams(bodies.getMsgBody),
      async handler(this: InboxesService, ctx: Context<CommandParams<bodies.GetMsgBody>>) {
        const { app, caller, body } = ctx.params;
        const { store } = runtimeOf(this.broker);
        const cursor = parseCookie(body.Cookie);
        if (cursor.kind === 'after') return getMsgReply(await syncAfter(store, app, caller.id, cursor.after));
        // A fresh device, or one catching up on its unread messages: their read marks matter.
        const all = await this.inbox<ContactPage>(app, caller.id, { op: 'list', offset: 0, limit: Number.MAX_SAFE_INTEGER }, ctx);
        const page =
          cursor.kind === 'fresh'
            ? await syncUnread(store, app, caller.id, all.version, all.contacts)
            : await syncCatchUp(store, app, caller.id, cursor, all.version, all.contacts);
        return getMsgReply(page);
      },
    },
  },
  methods: {
    inbox(this: InboxesService, app, user, command, ctx) {
      return this.actorCall(userKey(app, user), command, ctx) as never;
    },
  },
};

export default inboxes;
