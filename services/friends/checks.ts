/** Input checks of friend fields (seed limits): a bad item refuses with 30001 and changes nothing. */
import { DomainError } from '../../runtime/kind';
import { SNS, type FriendPatch } from '../../actors/relations';
import { RELATION_LIMITS as L, SNS_CUSTOM_PREFIX } from '../../actors/apps/settings/relations';
import { isValidUserId } from '../../actors/apps/settings/limits';
import { SNS_TAG } from './tags';
import type { TagValue } from './bodies';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

function bad(message: string): never {
  throw new DomainError(SNS.INVALID, message);
}

export function checkRemark(remark: string | undefined): void {
  if (remark !== undefined && bytes(remark) > L.remarkBytes) bad(`Remark is at most ${L.remarkBytes} bytes`);
}

export function checkWording(wording: string | undefined): void {
  if (wording !== undefined && bytes(wording) > L.wordingBytes) bad(`AddWording is at most ${L.wordingBytes} bytes`);
}

export function checkSource(source: string | undefined): void {
  if (source !== undefined && source !== '' && !L.addSource.test(source)) bad('AddSource is AddSource_Type_ followed by at most 8 letters');
}

export function checkListName(name: string): void {
  if (name === '' || bytes(name) > L.listNameBytes) bad(`a friend list name is 1 to ${L.listNameBytes} bytes`);
}

export function checkAccount(id: string): void {
  if (!isValidUserId(id)) bad(`invalid UserID ${id}`);
}

/** Custom friend fields: configured keywords only, string values of at most 500 bytes. */
export function customFields(items: TagValue[], keywords: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { Tag, Value } of items) {
    if (!Tag.startsWith(SNS_CUSTOM_PREFIX) || !keywords.includes(Tag.slice(SNS_CUSTOM_PREFIX.length))) bad(`unknown friend field ${Tag}`);
    if (typeof Value !== 'string') bad(`${Tag} takes a string`);
    if (bytes(Value) > L.customValueBytes) bad(`${Tag} is at most ${L.customValueBytes} bytes`);
    out[Tag] = Value;
  }
  return out;
}

/** friend_update's SnsItem: remark, friend lists (an array of names) and custom fields only. */
export function friendPatch(peer: string, items: TagValue[], keywords: readonly string[]): FriendPatch {
  const patch: FriendPatch = { peer };
  const custom: TagValue[] = [];
  for (const item of items) {
    if (item.Tag === SNS_TAG.REMARK) {
      if (typeof item.Value !== 'string') bad('Tag_SNS_IM_Remark takes a string');
      checkRemark(item.Value);
      patch.remark = item.Value;
    } else if (item.Tag === SNS_TAG.GROUP) {
      if (!Array.isArray(item.Value) || !item.Value.every((n): n is string => typeof n === 'string')) bad('Tag_SNS_IM_Group takes an array of names');
      item.Value.forEach(checkListName);
      patch.groups = item.Value;
    } else custom.push(item);
  }
  if (custom.length > 0) patch.custom = customFields(custom, keywords);
  return patch;
}
