/**
 * Recall notices: what a device that was offline asks after it reconnects to learn which of the
 * group messages it holds were recalled meanwhile (the web SDK's batch_get_group_notify,
 * NotifyType 1, asked from the time of its last answer). The group keeps its newest
 * RECALL_NOTES_KEPT recalls in order (recall-note-state.ts), built from the recalls' own events:
 * nothing more is written, and sending costs nothing.
 */
import type { GroupCommand } from './commands';
import { mayRead } from './messages';
import { POLICIES } from './policy';
import { actorOf, existing, GROUP_CODES, refuse } from './rules';
import type { RecallNote } from './recall-note-state';
import type { GroupState } from './state';

export interface RecallNotesView {
  items: RecallNote[];
  /** Time of the first note left for the next page (its BeginTime); 0 when none is left. */
  next: number;
}

type Cmd<K extends GroupCommand['op']> = Extract<GroupCommand, { op: K }>;

/**
 * The notes from `from` to `to` (microseconds, both included; `to` 0 = now) that the viewer may
 * see, oldest first, at most `limit`: a member sees recalls of messages from their joining on (of
 * all history where the type or group shows it), and a targeted message's only if it was meant
 * for them, as history does. Non-members are refused (10007) as group_msg_get refuses them.
 */
export function recallNotes(s: GroupState, c: Cmd<'recallNotes'>): RecallNotesView {
  const { profile: p, policy } = existing(s);
  if (!policy.storesHistory) return { items: [], next: 0 };
  const actor = actorOf(s, c.viewer);
  if (actor === 'NotMember') refuse(GROUP_CODES.NO_PERMISSION, `${c.viewer.id} is not a member`);
  const admin = actor === 'AppAdmin';
  const floor = admin || p.historyBeforeJoin || POLICIES[p.type].historyBeforeJoin ? 1 : (s.members.get(c.viewer.id)?.joinSeq ?? 1);
  const notes = s.recallNotes ?? [];
  const items: RecallNote[] = [];
  for (let i = firstAtOrAfter(notes, c.from); i < notes.length; i++) {
    const n = notes[i];
    if (c.to > 0 && n.t > c.to) break;
    if (n.seq < floor || (!admin && !mayRead(n, c.viewer.id))) continue;
    if (items.length === c.limit) return { items, next: n.t };
    items.push(n);
  }
  return { items, next: 0 };
}

function firstAtOrAfter(notes: RecallNote[], t: number): number {
  let lo = 0;
  let hi = notes.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (notes[mid].t < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
