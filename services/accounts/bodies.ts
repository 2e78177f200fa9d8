/** Request bodies of the account commands (fastest-validator), with their TypeScript types. */
import { LIMITS, USER_ID_PATTERN } from '../../actors/apps/settings/limits';

export const userIdRule = { type: 'string', min: 1, max: LIMITS.userIdMaxBytes, pattern: USER_ID_PATTERN };

export interface ImportBody {
  UserID: string;
  Nick?: string;
  FaceUrl?: string;
}
export const importBody = {
  UserID: userIdRule,
  Nick: { type: 'string', max: LIMITS.nickBytes, optional: true },
  FaceUrl: { type: 'string', max: LIMITS.faceUrlBytes, optional: true },
};

/** Items are checked one by one: an invalid one lands in FailAccounts, the rest import. */
export interface AccountItem {
  UserID?: unknown;
  Nick?: unknown;
  FaceUrl?: unknown;
}

export interface MultiImportBody {
  Accounts?: unknown[];
  AccountList?: AccountItem[];
}
export const multiImportBody = {
  Accounts: { type: 'array', max: LIMITS.accountBatch, optional: true },
  AccountList: { type: 'array', max: LIMITS.accountBatch, optional: true, items: { type: 'object' } },
};

const userItems = (field: string) => ({
  [field]: { type: 'array', min: 1, max: LIMITS.accountBatch, items: { type: 'object', props: { UserID: { type: 'string' } } } },
});

export interface DeleteBody {
  DeleteItem: { UserID: string }[];
}
export const deleteBody = userItems('DeleteItem');

export interface CheckBody {
  CheckItem: { UserID: string }[];
}
export const checkBody = userItems('CheckItem');

export interface KickBody {
  UserID: string;
}
export const kickBody = { UserID: userIdRule };

export interface OnlineStatusBody {
  To_Account: string[];
  IsNeedDetail?: number;
}
export const onlineStatusBody = {
  To_Account: { type: 'array', min: 1, max: LIMITS.onlineStatusBatch, items: 'string' },
  IsNeedDetail: { type: 'number', integer: true, min: 0, max: 1, optional: true },
};
