/**
 * Rules of a user's push registration. Limits of Tencent's all_member_push: at most 10 tags per
 * user, a tag 1–50 bytes, an attribute value at most 50 bytes (codes in PUSH_CODES).
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { ATTRS_SET, DEVICE_REGISTERED, DEVICES_REMOVED, TAGS_SET, type PushDevice, type PushregEvent } from './events';
import type { PushregState } from './state';

export const PUSH_CODES = {
  INVALID: 90001,
  TAG_TOO_LONG: 90020,
  TOO_MANY_TAGS: 90032,
  BAD_ATTR: 90033,
  EMPTY_TAG: 90040,
} as const;
export const MAX_TAGS = 10;
export const MAX_TAG_BYTES = 50;
export const MAX_ATTR_BYTES = 50;

export type PushregCommand =
  | { op: 'register'; device: PushDevice }
  /** instIds, or every device when absent; `token` removes the device holding that token. */
  | { op: 'remove'; instIds?: string[]; token?: string; reason: string; now: number }
  | { op: 'get' }
  | { op: 'addTags'; tags: string[]; now: number }
  | { op: 'removeTags'; tags: string[]; now: number }
  | { op: 'removeAllTags'; now: number }
  /** attrs: name → value; `names` are the app's attribute names (im_set_attr_name). */
  | { op: 'setAttrs'; attrs: Record<string, string>; names: string[]; now: number }
  | { op: 'removeAttrs'; names: string[]; now: number };

export type PushregReply = PushregState;

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function checkTags(tags: string[]): void {
  for (const tag of tags) {
    if (tag === '') throw new DomainError(PUSH_CODES.EMPTY_TAG, 'a tag may not be empty');
    if (bytes(tag) > MAX_TAG_BYTES) throw new DomainError(PUSH_CODES.TAG_TOO_LONG, `tag longer than ${MAX_TAG_BYTES} bytes`);
  }
}

export function decide(state: PushregState, command: PushregCommand): Decision<PushregEvent, PushregReply> {
  const keep = (events: PushregEvent[]) => ({ events, reply: state });
  switch (command.op) {
    case 'register': {
      const old = state.devices[command.device.instId];
      if (old && old.token === command.device.token && old.provider === command.device.provider && old.platform === command.device.platform) return keep([]);
      return keep([{ type: DEVICE_REGISTERED, data: command.device }]);
    }
    case 'remove': {
      const all = Object.values(state.devices);
      const gone = all.filter((d) => (command.token !== undefined ? d.token === command.token : command.instIds === undefined || command.instIds.includes(d.instId)));
      if (gone.length === 0) return keep([]);
      return keep([{ type: DEVICES_REMOVED, data: { instIds: gone.map((d) => d.instId), reason: command.reason, at: command.now } }]);
    }
    case 'get':
      return keep([]);
    case 'addTags': {
      checkTags(command.tags);
      const tags = [...new Set([...state.tags, ...command.tags])];
      if (tags.length > MAX_TAGS) throw new DomainError(PUSH_CODES.TOO_MANY_TAGS, `a user has at most ${MAX_TAGS} tags`);
      return keep(tags.length === state.tags.length ? [] : [{ type: TAGS_SET, data: { tags, at: command.now } }]);
    }
    case 'removeTags': {
      const tags = state.tags.filter((t) => !command.tags.includes(t));
      return keep(tags.length === state.tags.length ? [] : [{ type: TAGS_SET, data: { tags, at: command.now } }]);
    }
    case 'removeAllTags':
      return keep(state.tags.length === 0 ? [] : [{ type: TAGS_SET, data: { tags: [], at: command.now } }]);
    case 'setAttrs': {
      for (const [name, value] of Object.entries(command.attrs)) {
        if (!command.names.includes(name)) throw new DomainError(PUSH_CODES.BAD_ATTR, `attribute ${name} is not one of the app's attribute names`);
        if (typeof value !== 'string' || bytes(value) > MAX_ATTR_BYTES) throw new DomainError(PUSH_CODES.BAD_ATTR, `attribute ${name}: a string of at most ${MAX_ATTR_BYTES} bytes`);
      }
      const attrs = { ...state.attrs, ...command.attrs };
      return keep([{ type: ATTRS_SET, data: { attrs: JSON.stringify(attrs), at: command.now } }]);
    }
    case 'removeAttrs': {
      const attrs = Object.fromEntries(Object.entries(state.attrs).filter(([k]) => !command.names.includes(k)));
      if (Object.keys(attrs).length === Object.keys(state.attrs).length) return keep([]);
      return keep([{ type: ATTRS_SET, data: { attrs: JSON.stringify(attrs), at: command.now } }]);
    }
    default: {
      const never: never = command;
      throw new DomainError(PUSH_CODES.INVALID, `unknown push registration command ${JSON.stringify(never)}`);
    }
  }
}
