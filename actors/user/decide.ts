/** Rules of one user's account. */
import { DomainError, type Decision } from '../kind';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, USER_KICKED, type UserEvent } from './events';
import type { UserState } from './state';

export type UserCommand =
  | { op: 'import'; nick?: string; faceUrl?: string; now: number }
  | { op: 'delete'; now: number }
  | { op: 'kick'; now: number }
  | { op: 'get' };

export interface UserReply {
  imported: boolean;
  kickedAt: number;
  /** Profile basics, answered by `get` (the SDK's own profile at login). */
  nick?: string;
  faceUrl?: string;
}

/** 70107: the UserID was never imported (Tencent's account-service code). */
export const NOT_IMPORTED = 70107;

export function decide(state: UserState, command: UserCommand): Decision<UserEvent, UserReply> {
  switch (command.op) {
    case 'import': {
      const nick = command.nick ?? (state.imported ? state.nick : '');
      const faceUrl = command.faceUrl ?? (state.imported ? state.faceUrl : '');
      const unchanged = state.imported && nick === state.nick && faceUrl === state.faceUrl;
      const events: UserEvent[] = unchanged ? [] : [{ type: ACCOUNT_IMPORTED, data: { nick, faceUrl, at: command.now } }];
      return { events, reply: { imported: true, kickedAt: state.kickedAt } };
    }
    case 'delete':
      if (!state.imported) throw new DomainError(NOT_IMPORTED, 'the account does not exist');
      return { events: [{ type: ACCOUNT_DELETED, data: { at: command.now } }], reply: { imported: false, kickedAt: command.now } };
    case 'kick':
      if (!state.imported) throw new DomainError(NOT_IMPORTED, 'the account does not exist');
      return { events: [{ type: USER_KICKED, data: { at: command.now } }], reply: { imported: true, kickedAt: command.now } };
    case 'get':
      return { events: [], reply: { imported: state.imported, kickedAt: state.kickedAt, nick: state.nick, faceUrl: state.faceUrl } };
    default: {
      const never: never = command;
      throw new DomainError(70402, `unknown user command ${JSON.stringify(never)}`);
    }
  }
}
