/**
 * The conversations service's own type, for the action files split out of
 * conversations.service.ts: they take it from here, so no file imports the service it is part of.
 */
import type { Context, Service } from 'moleculer';
import type { InboxCommand, InboxReply } from '../../actors/inbox';
import type { Caller } from '../commands/commands';

export type ConversationsService = Service & {
  /** Runs a command on the user's inbox actor (hosted by the inboxes service). */
  inbox<R extends InboxReply>(app: number, user: string, command: InboxCommand, ctx: Context): Promise<R>;
  profileOf(app: number, user: string, ctx: Context): Promise<{ nick: string; faceUrl: string }>;
  removeContact(app: number, user: string, peer: string, clear: boolean, ctx: Context): Promise<void>;
  /** A push to the user's devices, except the one of `caller` that acted. */
  pushToUser(app: number, user: string, body: object, caller: Caller): void;
};

/** Recent-contact codes: 50002 bad params, 50004 internal. */
export const RECENT = { invalidCode: 50002, internalCode: 50004, display: true } as const;
