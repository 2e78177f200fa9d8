/**
 * Group attributes (the seats of a voice room, a live room's state): get_group_attr of
 * group_open_attr_http_svc, and set_group_attr (replace all), modify_group_attr, delete_group_attr,
 * clear_group_attr of group_open_http_svc, for REST administrators and the SDK's
 * getGroupAttributes, initGroupAttributes, setGroupAttributes and deleteGroupAttributes. The
 * rules and limits are the group actor's (actors/group/attributes.ts); every change is pushed to
 * the members online as a group tip carrying GroupAttrOption (services/groups/wire.ts).
 */
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES, type AttributesView, type GroupCommand } from '../../actors/group';
import type { CommandParams } from '../commands/commands';
import { groupCommand, whoOf } from './context';
import { inRoom } from './rooms';
import type { GroupsService } from './types';

interface AttrBody {
  GroupId: string;
  /** The SDK: key, value, and the key's sequence as the SDK last saw it (`seq`). */
  GroupAttr?: { key: string; value?: string; seq?: number }[];
  /** The SDK's mainSequence; not checked (each key's own sequence is). */
  AttrMainSeq?: number;
  /** The SDK sends ["RaceConflict"]: refuse a change to a key someone else changed first (10056). */
  AttrControl?: string[];
}

type Handler = (this: GroupsService, ctx: Context<CommandParams<AttrBody>>) => Promise<unknown>;

const groupId = { type: 'string', min: 1, max: 128 };
/** Parsing bounds only; the actor checks Tencent's limits in bytes. */
const item = { type: 'object', props: { key: { type: 'string', max: 256 }, value: { type: 'string', max: 16_384, optional: true }, seq: { type: 'number', integer: true, min: 0, optional: true } } };
const list = (min: number) => ({ type: 'array', min, max: 64, items: item });
const control = { AttrMainSeq: { type: 'number', integer: true, min: 0, optional: true }, AttrControl: { type: 'array', max: 8, items: { type: 'string', max: 32 }, optional: true } };

/**
 * Runs an attribute command. A live room (AVChatRoom) keeps no plain members, so a user the
 * group refuses (10007) may still be in the room: only then are the gateway nodes asked.
 */
export async function runInRoom<R>(svc: GroupsService, ctx: Context<CommandParams<{ GroupId: string }>>, command: GroupCommand & { op: 'attributes' | 'viewAttributes' | 'counters' | 'viewCounters' }): Promise<R> {
  const { app, caller, body } = ctx.params;
  try {
    return await svc.group<R>(app, body.GroupId, command, ctx);
  } catch (err) {
    const refused = (err as { data?: { code?: number } }).data?.code === GROUP_CODES.NO_PERMISSION;
    if (!refused || caller.kind !== 'user' || !(await inRoom(svc.broker, app, body.GroupId, caller.id))) throw err;
    return svc.group<R>(app, body.GroupId, { ...command, inRoom: true }, ctx);
  }
}

/** What a change answers: the new sequence and each written key's (the SDK keeps them for its next change). */
const changed = (v: AttributesView) => ({ AttrMainSeq: v.seq, GroupAttr: v.items.map((i) => ({ key: i.key, seq: i.seq })) });

function change(action: 'set' | 'modify' | 'delete' | 'clear'): Handler {
  return async function (ctx) {
    const { caller, body } = ctx.params;
    const items = action === 'clear' ? [] : (body.GroupAttr ?? []);
    const raceConflict = caller.kind === 'user' && (body.AttrControl ?? []).includes('RaceConflict');
    return changed(await runInRoom<AttributesView>(this, ctx, { op: 'attributes', by: whoOf(caller), action, items, raceConflict, now: Date.now() }));
  };
}

export const attributeActions: Record<string, ActionSchema> = {
  getGroupAttributes: groupCommand('group_open_attr_http_svc/get_group_attr', 'Attributes of a group', { GroupId: groupId, Key: { type: 'string', max: 256, optional: true }, GroupType: { type: 'number', optional: true } }, async function (this: GroupsService, ctx: Context<CommandParams<AttrBody>>) {
    const v = await runInRoom<AttributesView>(this, ctx, { op: 'viewAttributes', viewer: whoOf(ctx.params.caller) });
    return { GroupAttrAry: v.items.map((i) => ({ key: i.key, value: i.value, seq: i.seq })), AttrMainSeq: v.seq };
  }, true),
  setGroupAttributes: groupCommand('group_open_http_svc/set_group_attr', 'Replace all attributes of a group', { GroupId: groupId, GroupAttr: list(1), ...control }, change('set'), true),
  modifyGroupAttributes: groupCommand('group_open_http_svc/modify_group_attr', 'Set some attributes of a group', { GroupId: groupId, GroupAttr: list(1), ...control }, change('modify'), true),
  deleteGroupAttributes: groupCommand('group_open_http_svc/delete_group_attr', 'Delete some attributes of a group', { GroupId: groupId, GroupAttr: list(1), ...control }, change('delete'), true),
  clearGroupAttributes: groupCommand('group_open_http_svc/clear_group_attr', 'Delete every attribute of a group', { GroupId: groupId, ...control }, change('clear'), true),
};
