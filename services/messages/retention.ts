/**
 * Roaming retention: one-to-one messages older than the app's roamingDays lose their content.
 * Each keeps its place in its conversation's stream (versions and sequences stay gapless, and
 * actors still replay), but body, custom data and push info are erased. History and sync
 * leave out messages past retention whether or not the sweep has reached them yet.
 */
import { MESSAGE_SENT, type MessageSentData } from '../../actors/c2c';
import type { EventLog } from '../../runtime/eventlog';

export const PURGED_BODY = '[]';

export interface PurgeProgress {
  /** Log position the next sweep resumes after. */
  afterPosition: number;
  purged: number;
}

const PAGE = 500;

/** Erases the content of the app's messages appended before `beforeMs`. Idempotent. */
export async function purgeExpired(log: EventLog, app: number, beforeMs: number, afterPosition = 0): Promise<PurgeProgress> {
  let purged = 0;
  for (;;) {
    const page = await log.readByTime({ from: 0, to: beforeMs, streamPrefix: `c2c:${app}:`, afterPosition, limit: PAGE });
    for (const e of page) {
      afterPosition = e.position;
      if (e.type !== MESSAGE_SENT) continue;
      const m = e.data as MessageSentData;
      if (m.body === PURGED_BODY) continue;
      const erased: MessageSentData = { ...m, body: PURGED_BODY, cloudCustomData: '', offlinePush: null, fromNick: '', fromFace: '' };
      if (await log.redact(e.stream, e.version, { type: MESSAGE_SENT, data: erased })) purged++;
    }
    if (page.length < PAGE) return { afterPosition, purged };
  }
}

/** The oldest message time (unix seconds) still within retention. */
export const retentionFloor = (roamingDays: number, nowMs = Date.now()) => Math.floor(nowMs / 1000) - roamingDays * 86_400;
