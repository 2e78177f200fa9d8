/** Standard friend fields (seed "Standard friend fields") and how a friend edge reads as Tag/Value items. */
import type { FriendData } from '../../actors/relations';

export const SNS_TAG = {
  GROUP: 'Tag_SNS_IM_Group',
  REMARK: 'Tag_SNS_IM_Remark',
  ADD_SOURCE: 'Tag_SNS_IM_AddSource',
  ADD_WORDING: 'Tag_SNS_IM_AddWording',
  ADD_TIME: 'Tag_SNS_IM_AddTime',
} as const;

export const STANDARD_SNS_TAGS: string[] = Object.values(SNS_TAG);

export function snsItems(f: FriendData, tags?: string[]): { Tag: string; Value: unknown }[] {
  const all: [string, unknown][] = [
    [SNS_TAG.GROUP, f.groups],
    [SNS_TAG.REMARK, f.remark],
    [SNS_TAG.ADD_SOURCE, f.source],
    [SNS_TAG.ADD_WORDING, f.wording],
    [SNS_TAG.ADD_TIME, f.addTime],
    ...Object.entries(f.custom),
  ];
  const wanted = tags ? new Set(tags) : undefined;
  return all
    .filter(([tag, value]) => (wanted ? wanted.has(tag) : true) && !(Array.isArray(value) ? value.length === 0 : value === '' || value === undefined))
    .map(([Tag, Value]) => ({ Tag, Value }));
}
