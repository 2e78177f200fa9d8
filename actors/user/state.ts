import { ACCOUNT_DELETED, ACCOUNT_IMPORTED, USER_KICKED, type UserEvent } from './events';

export interface UserState {
  imported: boolean;
  nick: string;
  faceUrl: string;
  importedAt: number;
  /** UserSigs issued before this instant (ms) are void; 0 = never kicked. */
  kickedAt: number;
}

export const initialState = (): UserState => ({ imported: false, nick: '', faceUrl: '', importedAt: 0, kickedAt: 0 });

export function evolve(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case ACCOUNT_IMPORTED:
      return {
        ...state,
        imported: true,
        nick: event.data.nick,
        faceUrl: event.data.faceUrl,
        importedAt: state.imported ? state.importedAt : event.data.at,
      };
    case ACCOUNT_DELETED:
      // A deleted account's sessions end with it, so the kick instant moves too.
      return { ...initialState(), kickedAt: event.data.at };
    case USER_KICKED:
      return { ...state, kickedAt: event.data.at };
  }
}
