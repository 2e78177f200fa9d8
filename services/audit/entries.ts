/** An audit log page as the console shows it: one entry per change, its outcome beside it. */
import { CHANGE_COMPLETED, CHANGE_REQUESTED, type ChangeCompletedData, type ChangeRequestedData } from '../../actors/audit';
import type { StoredEvent } from '../../runtime/eventlog';
import type { AuditEntry } from './types';

/** Pairs requests and completions of a readIndex page (highest entry first). */
export function entriesOf(events: StoredEvent[]): AuditEntry[] {
  const done = new Map<number, ChangeCompletedData>();
  const entries: AuditEntry[] = [];
  for (const event of events) {
    if (event.type === CHANGE_COMPLETED) done.set((event.data as ChangeCompletedData).entry, event.data as ChangeCompletedData);
  }
  for (const event of events) {
    if (event.type !== CHANGE_REQUESTED) continue;
    const data = event.data as ChangeRequestedData;
    const outcome = done.get(data.entry);
    entries.push({ ...data, ...(outcome ? { outcome: { code: outcome.code, info: outcome.info, at: outcome.at } } : {}) });
  }
  return entries.sort((a, b) => b.entry - a.entry);
}
