/** Request bodies of the recentcontact commands (fastest-validator) and their types. */
import { userIdRule } from '../accounts/bodies';

const num = { type: 'number', integer: true, min: 0, optional: true };
/** SDK users send their own UserID (ignored: they act as themself); administrators must name one. */
const optionalUser = { type: 'string', optional: true };

export interface PageGetBody {
  From_Account?: string;
  TimeStamp?: number;
  StartIndex?: number;
  TopTimeStamp?: number;
  TopStartIndex?: number;
}
export const pageGetBody = {
  From_Account: optionalUser,
  TimeStamp: num,
  StartIndex: num,
  TopTimeStamp: num,
  TopStartIndex: num,
  OrderType: num,
  MsgAssistFlags: num,
  AssistFlags: num,
};

export interface ContactGroupBody {
  From_Account?: string;
  StartIndex?: number;
}
export const contactGroupBody = { From_Account: optionalUser, StartIndex: num };

export interface ContactListBody {
  From_Account: string;
  StartIndex?: number;
  TimeStamp?: number;
}
export const contactListBody = { From_Account: userIdRule, TimeStamp: num, StartIndex: num, TopTimeStamp: num, TopStartIndex: num, AssistFlags: num };

export interface ContactDeleteBody {
  From_Account: string;
  Type: number;
  To_Account?: string;
  ToGroupid?: string;
  ClearRamble?: number;
}
export const contactDeleteBody = {
  From_Account: userIdRule,
  Type: { type: 'enum', values: [1, 2] },
  To_Account: { ...userIdRule, optional: true },
  ToGroupid: { type: 'string', optional: true },
  ClearRamble: { type: 'number', integer: true, min: 0, max: 1, optional: true },
};

export interface BatchDeleteBody {
  From_Account?: string;
  ContactItem: { Type: number; To_Account?: string; ToGroupid?: string }[];
  ClearRamble?: number;
}
export const batchDeleteBody = {
  From_Account: optionalUser,
  ContactItem: {
    type: 'array',
    min: 1,
    max: 100,
    items: { type: 'object', props: { Type: { type: 'enum', values: [1, 2] }, To_Account: { type: 'string', optional: true }, ToGroupid: { type: 'string', optional: true } } },
  },
  ClearRamble: { type: 'number', integer: true, min: 0, max: 1, optional: true },
};

export interface ClearBody {
  From_Account?: string;
  To_Account?: string;
  ToGroupid?: string;
  Type: number;
}
export const clearBody = { From_Account: optionalUser, To_Account: { type: 'string', optional: true }, Type: { type: 'enum', values: [1, 2] }, ToGroupid: { type: 'string', optional: true } };
