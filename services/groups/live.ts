/**
 * A live room's pushes (AVChatRoom), in the order the group produced them: messages, tips and
 * the disbanding notice and system notices for the whole group go to everyone in the room, once
 * per gateway node (rooms.ts); notices meant for named users (applications, removals) go to them
 * as in any group.
 *
 * Join and quit tips are held to one of each per room per second, naming at most
 * MAX_NAMED users: every tip costs a write to every member, so announcing each of 50,000
 * arriving viewers to the ones already there would take 1.25 billion writes. The first tip of
 * a quiet room goes out at once.
 */
import type { ServiceBroker } from 'moleculer';
import type { Outgoing } from '../../actors/group';
import { PUSH_SERVCMD } from '../connector/replies';
import { deliverToMembers, type FanOutResult } from './delivery';
import { closeRoom, gatewayNodes, inOrder, liveOf, pushToRoom } from './rooms';

export type Push = Exclude<Outgoing, { kind: 'room' }>;
type Tip = Extract<Outgoing, { kind: 'tip' }>;
type Render = (o: Push) => object;

/** Window of member tips per room, ms. */
const TIP_WINDOW_MS = 1000;
/** Users one held tip names. */
export const MAX_NAMED = 20;

interface TipWindow {
  until: number;
  held: Map<number, Tip>;
  timer?: NodeJS.Timeout;
}

const windows = new WeakMap<ServiceBroker, Map<string, TipWindow>>();

export function deliverLive(broker: ServiceBroker, app: number, groupId: string, pushes: Push[], render: Render): Promise<FanOutResult[]> {
  const key = `${app}:${groupId}`;
  const now = Date.now();
  const sendNow = pushes.filter((o) => !(isMemberTip(o) && hold(broker, app, groupId, o, now, render)));
  return inOrder(broker, key, () => publish(broker, app, groupId, sendNow, render));
}

async function publish(broker: ServiceBroker, app: number, groupId: string, pushes: Push[], render: Render): Promise<FanOutResult[]> {
  const key = `${app}:${groupId}`;
  const results: FanOutResult[] = [];
  for (const o of pushes) {
    const disbanded = o.kind === 'system' && o.opType === 5;
    const roomWide = disbanded || (o.kind === 'system' && o.everyone === true);
    if (o.kind !== 'message' && o.kind !== 'tip' && !roomWide) {
      results.push(await deliverToMembers(broker, app, o.recipients, PUSH_SERVCMD, render(o)));
      continue;
    }
    // Tips get live sequences too: the SDK drops a repeated one (rooms.ts).
    const push = o.kind === 'tip' ? { ...o, seq: liveOf(broker).seqs.next(key, o.time * 1000) } : o;
    results.push({ nodes: gatewayNodes(broker).length, devices: await pushToRoom(broker, app, groupId, PUSH_SERVCMD, render(push)) });
    if (disbanded) await closeRoom(broker, app, groupId);
  }
  return results;
}

const isMemberTip = (o: Push): o is Tip => o.kind === 'tip' && (o.tip.opType === 1 || o.tip.opType === 2);

/** True when the tip is held for the end of the room's window (merged with the window's others). */
function hold(broker: ServiceBroker, app: number, groupId: string, tip: Tip, now: number, render: Render): boolean {
  let byRoom = windows.get(broker);
  if (!byRoom) windows.set(broker, (byRoom = new Map()));
  const key = `${app}:${groupId}`;
  const w = byRoom.get(key);
  if (!w || (now >= w.until && !w.timer)) {
    byRoom.set(key, { until: now + TIP_WINDOW_MS, held: new Map() });
    return false;
  }
  const held = w.held.get(tip.tip.opType);
  if (!held) w.held.set(tip.tip.opType, { ...tip, tip: { ...tip.tip, users: tip.tip.users.slice(0, MAX_NAMED) } });
  else if (held.tip.users.length < MAX_NAMED) held.tip.users.push(...tip.tip.users.slice(0, MAX_NAMED - held.tip.users.length));
  w.timer ??= setTimeout(() => {
    byRoom.set(key, { until: Date.now() + TIP_WINDOW_MS, held: new Map() });
    void inOrder(broker, key, () => publish(broker, app, groupId, [...w.held.values()], render)).catch(() => undefined);
  }, Math.max(0, w.until - now)).unref();
  return true;
}
