/**
 * The follow commands' bodies as the SDK sends them (its keys: userIDList → FollowItem of
 * {To_Account} on follow_add, To_Account elsewhere; type → FollowType, nextCursor → StartCursor,
 * count → WantNum) and the push it reads (docs/sdk-protocol.md §18). REST sends the same.
 */
import { FOLLOW_LIMITS } from '../../actors/follow';

const account = { type: 'string', min: 1, max: 64 };
const accounts = (max: number) => ({ type: 'array', items: account, min: 1, max });

export interface AddBody {
  From_Account: string;
  FollowItem: { To_Account: string }[];
}
export interface UsersBody {
  From_Account: string;
  To_Account: string[];
}
export interface GetBody {
  From_Account: string;
  FollowType: 1 | 2 | 3;
  StartCursor?: string;
  WantNum?: number;
}
export const addBody = { From_Account: account, FollowItem: { type: 'array', min: 1, max: FOLLOW_LIMITS.perRequest, items: { type: 'object', strict: 'remove', props: { To_Account: account } } } };
export const deleteBody = { From_Account: account, To_Account: accounts(FOLLOW_LIMITS.perRequest) };
export const queryBody = { From_Account: account, To_Account: accounts(FOLLOW_LIMITS.perQuery) };
export const getBody = {
  From_Account: account,
  FollowType: { type: 'number', integer: true, min: 1, max: 3 },
  // The cursor is Parley's: an offset into the list, written in decimal ('' = the start).
  StartCursor: { type: 'string', max: 20, numeric: true, optional: true, empty: true },
  WantNum: { type: 'number', integer: true, min: 1, max: FOLLOW_LIMITS.perPage, optional: true },
};

/** One item of FollowChangeList for the user it is pushed to: `other` is the user on the far side. */
export interface FollowDiff {
  other: string;
  added: boolean;
  /** 1 the pushed user's followers, 2 their following, 3 their mutual list. */
  types: (1 | 2 | 3)[];
}

/**
 * FollowChangeList (→ followChangeList): the SDK fires MY_FOLLOWERS_LIST_UPDATED,
 * MY_FOLLOWING_LIST_UPDATED or MUTUAL_FOLLOWERS_LIST_UPDATED per FollowType, with `{userInfoList,
 * isAdd}`. It dispatches the item by this key whatever its Event; 21 is ours.
 */
export const followPush = (d: FollowDiff) => ({
  EventArray: [{ Event: 21, FollowChangeList: [{ From_Account: d.other, FollowDiffList: d.types.map((FollowType) => ({ IsAdd: d.added ? 1 : 0, FollowType })) }] }],
});
