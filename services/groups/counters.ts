/**
 * Group counters: get_group_counter, update_group_counter (Mode Set, Increase, Decrease) and
 * delete_group_counter of group_open_http_svc, for REST administrators and the SDK's
 * getGroupCounters, setGroupCounters, increaseGroupCounter and decreaseGroupCounter. The rules,
 * limits and the atomic arithmetic are the group actor's (actors/group/counters.ts); each change
 * is pushed to the members online as a group tip carrying GroupCounterInfo (services/groups/wire.ts).
 */
import type { ActionSchema, Context } from 'moleculer';
import type { CountersView } from '../../actors/group';
import type { CommandParams } from '../commands/commands';
import { runInRoom } from './attributes';
import { groupCommand, whoOf } from './context';
import type { GroupsService } from './types';

interface CounterBody {
  GroupId: string;
  /** The SDK sends {key, value} items, PascalCased on the wire. */
  GroupCounter?: { Key: string; Value?: number | string }[];
  Mode?: 'Set' | 'Increase' | 'Decrease';
  GroupCounterKeys?: string[];
}

type Handler = (this: GroupsService, ctx: Context<CommandParams<CounterBody>>) => Promise<unknown>;

const groupId = { type: 'string', min: 1, max: 128 };
/** Parsing bounds only; the actor checks Tencent's limits in bytes and the 64-bit range. */
const key = { type: 'string', max: 512 };
const value = { type: 'multi', optional: true, rules: [{ type: 'number', integer: true }, { type: 'string', max: 24 }] };
const counterList = { type: 'array', min: 1, max: 40, items: { type: 'object', strict: 'remove', props: { Key: key, Value: value } } };
const keyList = (min: number) => ({ type: 'array', min, max: 40, items: key, ...(min === 0 ? { optional: true } : {}) });
const command = (name: string, summary: string, body: Record<string, unknown>, handler: Handler) => groupCommand(`group_open_http_svc/${name}`, summary, body, handler, true);

/** Values as JSON numbers, as Tencent's pages show them (exact up to 2^53). */
const itemsOf = (v: CountersView) => v.items.map((i) => ({ Key: i.key, Value: Number(i.value) }));
/** A JSON number arrives already rounded beyond 2^53; a decimal string is taken exactly. */
const decimal = (v: number | string | undefined) => (typeof v === 'number' ? BigInt(v).toString() : (v ?? '0'));
const MODES = { Set: 'set', Increase: 'increase', Decrease: 'decrease' } as const;

export const counterActions: Record<string, ActionSchema> = {
  getGroupCounters: command('get_group_counter', 'Counters of a group', { GroupId: groupId, GroupCounterKeys: keyList(0) }, async function (ctx) {
    const v = await runInRoom<CountersView>(this, ctx, { op: 'viewCounters', viewer: whoOf(ctx.params.caller), keys: ctx.params.body.GroupCounterKeys ?? [] });
    return { GroupCounter: itemsOf(v), GroupCounterSeq: v.seq };
  }),
  updateGroupCounters: command('update_group_counter', 'Set, increase or decrease counters of a group', { GroupId: groupId, Mode: { type: 'enum', values: ['Set', 'Increase', 'Decrease'], optional: true }, GroupCounter: counterList }, async function (ctx) {
    const { caller, body } = ctx.params;
    const items = (body.GroupCounter ?? []).map((i) => ({ key: i.Key, value: decimal(i.Value) }));
    const v = await runInRoom<CountersView>(this, ctx, { op: 'counters', by: whoOf(caller), mode: MODES[body.Mode ?? 'Set'], items, now: Date.now() });
    return { GroupCounter: itemsOf(v), GroupCounterSeq: v.seq };
  }),
  deleteGroupCounters: command('delete_group_counter', 'Delete counters of a group', { GroupId: groupId, GroupCounterKeys: keyList(1) }, async function (ctx) {
    const { caller, body } = ctx.params;
    await runInRoom<CountersView>(this, ctx, { op: 'counters', by: whoOf(caller), mode: 'delete', items: (body.GroupCounterKeys ?? []).map((k) => ({ key: k })), now: Date.now() });
    return {};
  }),
};
