/**
 * The end of a media file's life: its objects leave the store only after the ledger recorded
 * its deletion (events first), the meta object (the commit mark) first so no download serves a
 * file being removed, and the removal is confirmed back to the ledger. Removing twice is
 * harmless (the store skips absent keys), so a crash anywhere is repaired by the sweep, which
 * removes again whatever the ledger still lists as not confirmed gone, and expires what the
 * roaming period has passed.
 */
import type { BlobStore } from '../../runtime/blobs';
import { blobKey } from './ingest';

export type LedgerCall = (command: { op: 'removed'; fileKeys: string[]; now: number } | { op: 'expire'; cutoffSec: number; now: number } | { op: 'usage' }) => Promise<{ deleted?: string[]; doomed?: string[]; more?: boolean }>;

/** Removes the objects of deleted files and tells the ledger. */
export async function removeObjects(blobs: BlobStore, ledger: LedgerCall, app: number, fileKeys: string[]): Promise<void> {
  if (fileKeys.length === 0) return;
  await blobs.delete(fileKeys.map((k) => blobKey(app, k, 'meta')));
  await blobs.delete(fileKeys.flatMap((k) => (['o', 'l', 't'] as const).map((v) => blobKey(app, k, v))));
  await ledger({ op: 'removed', fileKeys, now: Date.now() });
}

export interface SweepResult {
  expired: number;
  removed: number;
}

/**
 * One app's sweep: files whose messages are all older than `cutoffSec` (the roaming period),
 * and files no message holds that are older too, are deleted; then every deleted file whose
 * objects are not confirmed gone is removed again.
 */
export async function sweep(blobs: BlobStore, ledger: LedgerCall, app: number, cutoffSec: number): Promise<SweepResult> {
  let expired = 0;
  for (;;) {
    const step = await ledger({ op: 'expire', cutoffSec, now: Date.now() });
    expired += step.deleted?.length ?? 0;
    if (!step.more) break;
  }
  const { doomed = [] } = await ledger({ op: 'usage' });
  for (let i = 0; i < doomed.length; i += 100) await removeObjects(blobs, ledger, app, doomed.slice(i, i + 100));
  return { expired, removed: doomed.length };
}
