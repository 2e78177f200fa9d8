/** Rules of one user's account. */
import { DomainError, type Decision } from '../../runtime/kind';
import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, NO_SPEAKING_FOREVER, NO_SPEAKING_SET, PROFILE_SET, USER_KICKED, type UserEvent } from './events';
import { TAG_IMAGE, TAG_NICK, type UserState } from './state';

export type UserCommand =
  | { op: 'import'; nick?: string; faceUrl?: string; now: number }
  | { op: 'delete'; now: number }
  | { op: 'kick'; now: number }
  | { op: 'get' }
  /** Fields already validated against the app's field definitions (services/profiles/fields.ts). */
  | { op: 'setProfile'; strings: Record<string, string>; numbers: Record<string, number>; now: number; operator?: string }
  /** Global mute for this many seconds from now (0 lifts it, NO_SPEAKING_FOREVER = for ever); absent = unchanged. */
  | { op: 'setNoSpeaking'; c2cSeconds?: number; groupSeconds?: number; now: number };

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
  /** Global mute (`get`, `setNoSpeaking`): Unix seconds until which sending is refused, 0 = not muted. */
  mutedUntil?: { c2c: number; group: number };
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
    case 'setNoSpeaking': {
      if (!state.imported) throw new DomainError(NOT_IMPORTED, 'the account does not exist');
      const c2cUntil = untilOf(command.c2cSeconds, state.c2cMutedUntil ?? 0, command.now);
      const groupUntil = untilOf(command.groupSeconds, state.groupMutedUntil ?? 0, command.now);
      const next = { ...state, c2cMutedUntil: c2cUntil, groupMutedUntil: groupUntil };
      return { events: [{ type: NO_SPEAKING_SET, data: { c2cUntil, groupUntil, at: command.now } }], reply: view(next) };
    }
    default: {
      const never: never = command;
      throw new DomainError(70402, `unknown user command ${JSON.stringify(never)}`);
    }
  }
}

function view(state: UserState): UserReply {
  const mutedUntil = { c2c: state.c2cMutedUntil ?? 0, group: state.groupMutedUntil ?? 0 };
  return { imported: state.imported, kickedAt: state.kickedAt, nick: state.nick, faceUrl: state.faceUrl, profile: state.profile, mutedUntil };
}

/** The instant a mute of `seconds` from `now` (ms) ends; for ever stays for ever, absent keeps `current`. */
function untilOf(seconds: number | undefined, current: number, now: number): number {
  if (seconds === undefined) return current;
  if (seconds === 0) return 0;
  if (seconds >= NO_SPEAKING_FOREVER) return NO_SPEAKING_FOREVER;
  return Math.min(NO_SPEAKING_FOREVER - 1, Math.floor(now / 1000) + seconds);
}
