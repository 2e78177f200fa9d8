/** Tencent's group error codes and the decider's way of refusing with one. */
import { DomainError } from '../../runtime/kind';

/** Tencent's group error codes used by the decider. */
export const GROUP_CODES = {
  INVALID: 10004,
  NO_PERMISSION: 10007,
  OWNER_CANNOT_QUIT: 10009,
  NOT_FOUND: 10010,
  ALREADY_MEMBER: 10013,
  FULL: 10014,
  BAD_ID: 10015,
  MUTED: 10017,
  ID_USED: 10021,
  FREQUENCY: 10023,
  HANDLED: 10024,
  RECALL_NOT_FOUND: 10030,
  RECALL_TOO_LATE: 10031,
  RECALL_REFUSED: 10032,
  RECALL_UNSUPPORTED: 10033,
  DELETE_UNSUPPORTED: 10035,
} as const;

export const refuse = (code: number, message: string): never => {
  throw new DomainError(code, message);
};

/** Lengths in Tencent's limits are UTF-8 bytes. */
export const byteLength = (v: string) => Buffer.byteLength(v, 'utf8');
