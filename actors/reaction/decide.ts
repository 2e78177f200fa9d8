/**
 * Rules of message reactions (Tencent's addMessageReaction / removeMessageReaction limits): at
 * most 10 different reactions on a message (23005), 100 users per reaction (23006), a user reacts
 * once with each (23007) and takes back only their own (23008). Whether the message exists and the
 * caller may react (a participant, a member) is checked by the service before the command is
 * built, since those facts belong to the messages and groups contexts.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { REACTION_ADDED, REACTION_REMOVED, type ReactionEvent } from './events';
import type { ReactionState } from './state';

export const REACTION_CODES = { TOO_MANY_REACTIONS: 23005, TOO_MANY_USERS: 23006, ALREADY_REACTED: 23007, NOT_REACTED: 23008 } as const;
export const REACTION_LIMITS = { reactionsPerMessage: 10, usersPerReaction: 100 } as const;

/** One reaction of a message as the SDK's summary shows it: total, the first users, the viewer's own. */
export interface ReactionSummary {
  reaction: string;
  count: number;
  users: string[];
  reactedByMe: boolean;
}

export type ReactionCommand =
  | { op: 'add' | 'remove'; message: string; reaction: string; user: string; now: number }
  | { op: 'summaries'; messages: string[]; viewer: string; users: number }
  | { op: 'users'; message: string; reaction: string; from: number; count: number };

/** add/remove answer the changed reaction after the change, for no viewer (what the push carries). */
export type ReactionReply = ReactionSummary[] | Record<string, ReactionSummary[]> | { users: string[]; next: number };

export function summariesOf(state: ReactionState, message: string, viewer: string, users: number): ReactionSummary[] {
  return [...(state.messages.get(message) ?? new Map<string, string[]>())].map(([reaction, list]) => ({ reaction, count: list.length, users: list.slice(0, users), reactedByMe: list.includes(viewer) }));
}

/** The users the SDK's summaries and pushes show per reaction (its maxUserCountPerReaction is at most 10). */
export const SHOWN_USERS = 10;

/** The changed reaction as it now is: count 0 and no users once the last one took it back. */
const changed = (reaction: string, users: string[]): ReactionSummary[] => [{ reaction, count: users.length, users: users.slice(0, SHOWN_USERS), reactedByMe: false }];

export function decide(state: ReactionState, command: ReactionCommand): Decision<ReactionEvent, ReactionReply> {
  switch (command.op) {
    case 'add': {
      const { message, reaction, user, now } = command;
      const reactions = state.messages.get(message);
      const users = reactions?.get(reaction);
      if (users?.includes(user)) throw new DomainError(REACTION_CODES.ALREADY_REACTED, `${user} already reacted ${reaction}`);
      if (!users && (reactions?.size ?? 0) >= REACTION_LIMITS.reactionsPerMessage) throw new DomainError(REACTION_CODES.TOO_MANY_REACTIONS, `a message takes at most ${REACTION_LIMITS.reactionsPerMessage} reactions`);
      if ((users?.length ?? 0) >= REACTION_LIMITS.usersPerReaction) throw new DomainError(REACTION_CODES.TOO_MANY_USERS, `a reaction takes at most ${REACTION_LIMITS.usersPerReaction} users`);
      return { events: [{ type: REACTION_ADDED, data: { message, reaction, user, at: now } }], reply: changed(reaction, [...(users ?? []), user]) };
    }
    case 'remove': {
      const { message, reaction, user, now } = command;
      const users = state.messages.get(message)?.get(reaction);
      if (!users?.includes(user)) throw new DomainError(REACTION_CODES.NOT_REACTED, `${user} has not reacted ${reaction}`);
      return { events: [{ type: REACTION_REMOVED, data: { message, reaction, user, at: now } }], reply: changed(reaction, users.filter((u) => u !== user)) };
    }
    case 'summaries':
      return { events: [], reply: Object.fromEntries(command.messages.map((m) => [m, summariesOf(state, m, command.viewer, command.users)])) };
    case 'users': {
      const all = state.messages.get(command.message)?.get(command.reaction) ?? [];
      const users = all.slice(command.from, command.from + command.count);
      const next = command.from + users.length;
      return { events: [], reply: { users, next: next < all.length ? next : 0 } };
    }
    default: {
      const never: never = command;
      throw new DomainError(90001, `unknown reaction command ${JSON.stringify(never)}`);
    }
  }
}
