/**
 * Global mute per account: openconfigsvr/setnospeaking and getnospeaking. The mute is the user
 * actor's (event NoSpeakingSet), so it survives restarts and goes with the account when it is
 * deleted. Send paths read it through the accounts client's cache (mute-cache.ts): a one-to-one
 * send of a muted account answers 20012, a group send 10017 (services/messages, services/groups).
 *
 * Times are seconds: 0 lifts the mute, 4294967295 mutes for ever, anything else mutes for that
 * long from now; a field left out keeps its mute. getnospeaking answers the seconds left (0 once
 * a mute ended, 4294967295 for ever), which is what the field means on setnospeaking.
 */
import type { ActionSchema, Context } from 'moleculer';
import { NO_SPEAKING_FOREVER, NOT_IMPORTED, userKey, type UserReply } from '../../actors/user';
import { DomainError } from '../../runtime/kind';
import { commandParams, type CommandParams } from '../commands/commands';
import { BUS, type NoSpeakingChanged } from '../events';
import { userIdRule } from './bodies';
import { accountsOf } from './client';

/** Tencent's account-service codes: 70402 bad body, 70500 internal; 70107 for an account never imported. */
const codes = { invalidCode: 70402, internalCode: 70500 };

const seconds = { type: 'number', integer: true, min: 0, max: NO_SPEAKING_FOREVER, optional: true };

export interface SetNoSpeakingBody {
  Set_Account: string;
  C2CmsgNospeakingTime?: number;
  GroupmsgNospeakingTime?: number;
}
export const setNoSpeakingBody = { Set_Account: userIdRule, C2CmsgNospeakingTime: seconds, GroupmsgNospeakingTime: seconds };

export interface GetNoSpeakingBody {
  Get_Account: string;
}
export const getNoSpeakingBody = { Get_Account: userIdRule };

interface Host {
  actorCall(key: string, command: unknown, ctx: Context): Promise<UserReply>;
}

/** Seconds of a mute left at `now` (ms), as getnospeaking answers them. */
function left(until: number, now: number): number {
  if (until >= NO_SPEAKING_FOREVER) return NO_SPEAKING_FOREVER;
  return Math.max(0, until - Math.floor(now / 1000));
}

export const noSpeakingActions: Record<string, ActionSchema> = {
  setNoSpeaking: {
    tencent: { command: 'openconfigsvr/setnospeaking', summary: 'Mute or unmute an account for one-to-one and group messages', ...codes },
    params: commandParams(setNoSpeakingBody),
    async handler(this: Host & { broker: Context['broker'] }, ctx: Context<CommandParams<SetNoSpeakingBody>>) {
      const { app, body } = ctx.params;
      const now = Date.now();
      await this.actorCall(userKey(app, body.Set_Account), { op: 'setNoSpeaking', c2cSeconds: body.C2CmsgNospeakingTime, groupSeconds: body.GroupmsgNospeakingTime, now }, ctx);
      // Every node's send checks forget the old mute; this node's before the answer.
      accountsOf(this.broker).forgetMutes(app, body.Set_Account);
      this.broker.broadcast(BUS.NO_SPEAKING_CHANGED, { app, userId: body.Set_Account, at: now } satisfies NoSpeakingChanged);
      return {};
    },
  } as unknown as ActionSchema,
  getNoSpeaking: {
    tencent: { command: 'openconfigsvr/getnospeaking', summary: "An account's global mutes, in seconds left", ...codes },
    params: commandParams(getNoSpeakingBody),
    async handler(this: Host, ctx: Context<CommandParams<GetNoSpeakingBody>>) {
      const { app, body } = ctx.params;
      const reply = await this.actorCall(userKey(app, body.Get_Account), { op: 'get' }, ctx);
      if (!reply.imported) throw new DomainError(NOT_IMPORTED, 'the account does not exist');
      const now = Date.now();
      const mutes = reply.mutedUntil ?? { c2c: 0, group: 0 };
      return { C2CmsgNospeakingTime: left(mutes.c2c, now), GroupmsgNospeakingTime: left(mutes.group, now) };
    },
  } as unknown as ActionSchema,
};
