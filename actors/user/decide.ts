/** Rules of one user's account. */
import { DomainError, type Decision } from '../../runtime/kind';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, PROFILE_SET, USER_KICKED, type UserEvent } from './events';
import { TAG_IMAGE, TAG_NICK, type UserState } from './state';

export type UserCommand =
  | { op: 'import'; nick?: string; faceUrl?: string; now: number }
  | { op: 'delete'; now: number }
  | { op: 'kick'; now: number }
  | { op: 'get' }
  /** Fields already validated against the app's field definitions (services/profiles/fields.ts). */
  | { op: 'setProfile'; strings: Record<string, string>; numbers: Record<string, number>; now: number; operator?: string };

export interface UserReply {
  imported: boolean;
  kickedAt: number;
  /** Profile basics, answered by `get` (the SDK's own profile at login). */
  nick?: string;
  faceUrl?: string;
  /** Every other profile field by tag (`get`, `setProfile`). */
  profile?: Record<string, string | number>;
  /** `setProfile`: whether anything changed. */
  changed?: boolean;
}

/** 70107: the UserID was never imported (Tencent's account-service code). */
export const NOT_IMPORTED = 70107;
/** 40003: the profile of an account that does not exist (profile-service code). */
export const NO_PROFILE = 40003;

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
      return { events: [], reply: view(state) };
    case 'setProfile': {
      if (!state.imported) throw new DomainError(NO_PROFILE, 'the account does not exist');
      const current: Record<string, string | number> = { ...state.profile, [TAG_NICK]: state.nick, [TAG_IMAGE]: state.faceUrl };
      const changed = [...Object.entries(command.strings), ...Object.entries(command.numbers)].some(([tag, value]) => current[tag] !== value);
      const events: UserEvent[] = changed ? [{ type: PROFILE_SET, data: { strings: command.strings, numbers: command.numbers, at: command.now, operator: command.operator ?? '' } }] : [];
      return { events, reply: { ...view(state), changed } };
    }
    default: {
      const never: never = command;
      throw new DomainError(70402, `unknown user command ${JSON.stringify(never)}`);
    }
  }
}

function view(state: UserState): UserReply {
  return { imported: state.imported, kickedAt: state.kickedAt, nick: state.nick, faceUrl: state.faceUrl, profile: state.profile };
}
