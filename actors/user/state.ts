import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, NO_SPEAKING_SET, PROFILE_SET, USER_KICKED, type UserEvent } from './events';

/** The two standard tags kept as nick and faceUrl (set by account_import too). */
export const TAG_NICK = 'Tag_Profile_IM_Nick';
export const TAG_IMAGE = 'Tag_Profile_IM_Image';

export interface UserState {
  imported: boolean;
  nick: string;
  faceUrl: string;
  importedAt: number;
  /** UserSigs issued before this instant (ms) are void; 0 = never kicked. */
  kickedAt: number;
  /** Profile fields other than nick and face URL, by tag (portrait_set). */
  profile: Record<string, string | number>;
  /** Unix ms of the last profile change (nick and face URL included). */
  profileAt: number;
  /** Global mute (NoSpeakingSet), Unix seconds; absent in snapshots written before it = not muted. */
  c2cMutedUntil?: number;
  groupMutedUntil?: number;
}

export const initialState = (): UserState => ({ imported: false, nick: '', faceUrl: '', importedAt: 0, kickedAt: 0, profile: {}, profileAt: 0 });

export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case ACCOUNT_IMPORTED:
      return {
        ...state,
        imported: true,
        nick: event.data.nick,
        faceUrl: event.data.faceUrl,
        importedAt: state.imported ? state.importedAt : event.data.at,
        profileAt: event.data.at,
      };
    case ACCOUNT_DELETED:
      // A deleted account's sessions end with it, so the kick instant moves too.
      return { ...initialState(), kickedAt: event.data.at };
    case USER_KICKED:
      return { ...state, kickedAt: event.data.at };
    case NO_SPEAKING_SET:
      return { ...state, c2cMutedUntil: event.data.c2cUntil, groupMutedUntil: event.data.groupUntil };
    case PROFILE_SET: {
      const profile = { ...state.profile, ...event.data.strings, ...event.data.numbers };
      const nick = profile[TAG_NICK];
      const face = profile[TAG_IMAGE];
      delete profile[TAG_NICK];
      delete profile[TAG_IMAGE];
      return {
        ...state,
        profile,
        nick: typeof nick === 'string' ? nick : state.nick,
        faceUrl: typeof face === 'string' ? face : state.faceUrl,
        profileAt: event.data.at,
      };
    }
  }
}
