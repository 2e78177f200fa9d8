/** Applies modify_group_msg and clear_group_msg events (message-edits.ts) to a group's state. */
import { HISTORY_CLEARED, MESSAGE_MODIFIED, type GroupEvent } from './events';

/** Applies the events of message-edits.ts; false for any other event. */
export function evolveMessageEdits(s: { messages: Map<number, { edits?: number }>; clearedUpTo?: number }, e: GroupEvent): boolean {
  if (e.type === MESSAGE_MODIFIED) {
    const meta = s.messages.get(e.data.seq);
    if (meta) meta.edits = (meta.edits ?? 0) + 1;
    return true;
  }
  if (e.type === HISTORY_CLEARED) {
    s.clearedUpTo = Math.max(s.clearedUpTo ?? 0, e.data.upToSeq);
    return true;
  }
  return false;
}
