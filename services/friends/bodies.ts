/** Request bodies of the sns commands (fastest-validator), beside their TypeScript types. */
import { RELATION_LIMITS as L } from '../../actors/apps/settings/relations';

const from = { From_Account: { type: 'string', optional: true } };
const index = { type: 'number', integer: true, min: 0, optional: true };
const accounts = (max: number) => ({ type: 'array', items: 'string', min: 1, max });
const tagValues = { type: 'array', max: 100, items: { type: 'object', props: { Tag: 'string', Value: 'any' } } };

export interface FromBody {
  From_Account?: string;
}

export interface TagValue {
  Tag: string;
  Value: unknown;
}

export const addBody = {
  ...from,
  AddFriendItem: {
    type: 'array',
    min: 1,
    max: 100,
    items: {
      type: 'object',
      props: {
        To_Account: 'string',
        Remark: { type: 'string', optional: true },
        GroupName: { type: 'string', optional: true },
        AddSource: { type: 'string', optional: true },
        AddWording: { type: 'string', optional: true },
      },
    },
  },
  AddType: { type: 'enum', values: ['Add_Type_Single', 'Add_Type_Both'], optional: true },
  ForceAddFlags: { type: 'number', integer: true, min: 0, max: 1, optional: true },
};
export interface AddBody extends FromBody {
  AddFriendItem: { To_Account: string; Remark?: string; GroupName?: string; AddSource?: string; AddWording?: string }[];
  AddType?: 'Add_Type_Single' | 'Add_Type_Both';
  ForceAddFlags?: number;
}

export const importBody = {
  ...from,
  AddFriendItem: {
    type: 'array',
    min: 1,
    max: L.importBatch,
    items: {
      type: 'object',
      props: {
        To_Account: 'string',
        Remark: { type: 'string', optional: true },
        RemarkTime: index,
        GroupName: { type: 'array', items: 'string', optional: true },
        AddSource: { type: 'string', optional: true },
        AddWording: { type: 'string', optional: true },
        AddTime: index,
        CustomItem: { ...tagValues, optional: true },
      },
    },
  },
};
export interface ImportItem {
  To_Account: string;
  Remark?: string;
  RemarkTime?: number;
  GroupName?: string[];
  AddSource?: string;
  AddWording?: string;
  AddTime?: number;
  CustomItem?: TagValue[];
}
export interface ImportBody extends FromBody {
  AddFriendItem: ImportItem[];
}

export const updateBody = {
  ...from,
  UpdateItem: { type: 'array', min: 1, max: 100, items: { type: 'object', props: { To_Account: 'string', SnsItem: { ...tagValues, min: 1 } } } },
};
export interface UpdateBody extends FromBody {
  UpdateItem: { To_Account: string; SnsItem: TagValue[] }[];
}

export const deleteBody = { ...from, To_Account: accounts(L.batch), DeleteType: { type: 'enum', values: ['Delete_Type_Single', 'Delete_Type_Both'], optional: true } };
export interface DeleteBody extends FromBody {
  To_Account: string[];
  DeleteType?: 'Delete_Type_Single' | 'Delete_Type_Both';
}

export const deleteAllBody = { ...from, DeleteType: { type: 'enum', values: ['Delete_Type_Single', 'Delete_Type_Both'], optional: true } };
export type DeleteAllBody = Omit<DeleteBody, 'To_Account'>;

export const checkBody = { ...from, To_Account: accounts(L.batch), CheckType: { type: 'string', optional: true } };
export interface CheckBody extends FromBody {
  To_Account: string[];
  CheckType?: string;
}

export const friendGetBody = { ...from, StartIndex: index, StandardSequence: index, CustomSequence: index };
export interface FriendGetBody extends FromBody {
  StartIndex?: number;
}

export const getListBody = { ...from, To_Account: accounts(L.batch), TagList: { type: 'array', items: 'string', optional: true } };
export interface GetListBody extends FromBody {
  To_Account: string[];
  TagList?: string[];
}

export const accountsBody = { ...from, To_Account: accounts(L.batch) };
export interface AccountsBody extends FromBody {
  To_Account: string[];
}

export const blockGetBody = { ...from, StartIndex: index, MaxLimited: index, LastSequence: index };
export interface BlockGetBody extends FromBody {
  StartIndex?: number;
  MaxLimited?: number;
}

export const listAddBody = { ...from, GroupName: { type: 'array', items: 'string', min: 1, max: L.lists }, To_Account: { type: 'array', items: 'string', optional: true, max: L.batch } };
export interface ListAddBody extends FromBody {
  GroupName: string[];
  To_Account?: string[];
}

export const listDeleteBody = { ...from, GroupName: { type: 'array', items: 'string', min: 1, max: L.lists } };
export interface ListDeleteBody extends FromBody {
  GroupName: string[];
}

export const listGetBody = { ...from, LastSequence: index, NeedFriend: { type: 'string', optional: true }, GroupName: { type: 'array', items: 'string', optional: true } };
export interface ListGetBody extends FromBody {
  NeedFriend?: string;
  GroupName?: string[];
}

export const listUpdateBody = {
  ...from,
  GroupOldName: 'string',
  GroupNewName: { type: 'string', optional: true },
  UpdateGroupItem: {
    type: 'array',
    optional: true,
    max: L.batch,
    items: { type: 'object', props: { To_Account: 'string', UpdateType: { type: 'enum', values: ['Update_Type_Add', 'Update_Type_Delete'] } } },
  },
};
export interface ListUpdateBody extends FromBody {
  GroupOldName: string;
  GroupNewName?: string;
  UpdateGroupItem?: { To_Account: string; UpdateType: 'Update_Type_Add' | 'Update_Type_Delete' }[];
}

export const pendencyGetBody = { ...from, PendencyType: { type: 'string', optional: true }, StartTime: index, MaxLimited: index, LastSequence: index };
export interface PendencyGetBody extends FromBody {
  PendencyType?: string;
}

export const respondBody = {
  ...from,
  ResponseFriendItem: {
    type: 'array',
    min: 1,
    max: 100,
    items: {
      type: 'object',
      props: {
        To_Account: 'string',
        ResponseAction: { type: 'enum', values: ['Response_Action_Agree', 'Response_Action_AgreeAndAdd', 'Response_Action_Reject'] },
        Remark: { type: 'string', optional: true },
        TagName: { type: 'string', optional: true },
      },
    },
  },
};
export interface RespondBody extends FromBody {
  ResponseFriendItem: { To_Account: string; ResponseAction: 'Response_Action_Agree' | 'Response_Action_AgreeAndAdd' | 'Response_Action_Reject'; Remark?: string; TagName?: string }[];
}

export const pendencyDeleteBody = { ...from, PendencyType: { type: 'enum', values: ['Pendency_Type_ComeIn', 'Pendency_Type_SendOut'], optional: true }, To_Account: accounts(100) };
export interface PendencyDeleteBody extends FromBody {
  PendencyType?: 'Pendency_Type_ComeIn' | 'Pendency_Type_SendOut';
  To_Account: string[];
}

export const pendencyReportBody = { ...from, LatestPendencyTimeStamp: { type: 'any', optional: true } };
export type PendencyReportBody = FromBody;
