/** Tencent's relationship-chain codes (reference §1.4, 30xxx). */
export const SNS = {
  INVALID: 30001,
  NO_SUCH_USER: 30003,
  INTERNAL: 30006,
  FORBIDDEN_TO_ADD: 30009,
  FRIEND_LIMIT: 30010,
  LIST_LIMIT: 30011,
  PENDING_LIMIT: 30012,
  BLOCK_LIMIT: 30013,
  PEER_FRIEND_LIMIT: 30014,
  PEER_IN_MY_BLOCKLIST: 30515,
  PEER_DENIES_ALL: 30516,
  IN_PEER_BLOCKLIST: 30525,
  /** Not a failure: the request waits for the peer's answer. */
  PENDING: 30539,
  NO_SUCH_REQUEST: 30614,
  NOT_FRIENDS: 31704,
} as const;
