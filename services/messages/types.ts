/**
 * The messages service's own types, for the files split out of messages.service.ts: they take them
 * from here, so no file imports the service it is part of.
 */
import type { Context } from 'moleculer';
import type { C2CCommand, C2CEvent, C2CReply, C2CState, SendReply } from '../../actors/c2c';
import type { ActorHostService } from '../../runtime/moleculer/host.mixin';
import type { Caller } from '../commands/commands';
import type * as bodies from './bodies';

export type MessagesService = ActorHostService<C2CState, C2CCommand, C2CEvent, C2CReply> & {
  sweeper: NodeJS.Timeout;
  requireAccounts(app: number, ids: string[], ctx: Context): Promise<void>;
  send(app: number, from: string, to: string, body: bodies.SendBody, caller: Caller, ctx: Context): Promise<SendReply>;
  conversation<R extends C2CReply>(app: number, a: string, b: string, command: C2CCommand, ctx: Context): Promise<R>;
  recall(app: number, from: string, to: string, msgKey: string, caller: Caller, ctx: Context): Promise<void>;
  markRead(app: number, reader: string, peer: string, caller: Caller, ctx: Context): Promise<void>;
};
