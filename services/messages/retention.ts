/**
 * Roaming retention: one-to-one and group messages (topics' too) older than the app's
 * roamingDays lose their content. Each keeps its place in its stream (versions and sequences
 * stay gapless, and actors still replay), but body, custom data, push info and the sender's
 * names are erased. History and sync leave out messages past retention whether or not the sweep
 * has reached them yet. Live rooms store no messages.
 */
import { MESSAGE_SENT, type MessageSentData } from '../../actors/c2c';
import { MESSAGE_SENT as GROUP_MESSAGE_SENT, TOPIC_MESSAGE_SENT, type MessageSentData as GroupMessageData } from '../../actors/group';
import type { EventLog } from '../../runtime/eventlog';

export const PURGED_BODY = '[]';

export interface PurgeProgress {
  /** Log position the next sweep resumes after. */
  afterPosition: number;
  purged: number;
}

const PAGE = 500;

/** Erases the content of the app's one-to-one and group messages appended before `beforeMs`. Idempotent. */
export async function purgeExpired(log: EventLog, app: number, beforeMs: number, afterPosition = 0): Promise<PurgeProgress> {
  const c2c = await purgeStreams(log, `c2c:${app}:`, beforeMs, afterPosition);
  const groups = await purgeStreams(log, `group:${app}:`, beforeMs, afterPosition);
  return { afterPosition: Math.max(c2c.afterPosition, groups.afterPosition), purged: c2c.purged + groups.purged };
}

async function purgeStreams(log: EventLog, streamPrefix: string, beforeMs: number, afterPosition: number): Promise<PurgeProgress> {
  let purged = 0;
  for (;;) {
    const page = await log.readByTime({ from: 0, to: beforeMs, streamPrefix, afterPosition, limit: PAGE });
    for (const e of page) {
      afterPosition = e.position;
      if (e.type !== MESSAGE_SENT && e.type !== GROUP_MESSAGE_SENT && e.type !== TOPIC_MESSAGE_SENT) continue;
      const m = e.data as MessageSentData | GroupMessageData;
      if (m.body === PURGED_BODY) continue;
      const erased = { ...m, body: PURGED_BODY, cloudCustomData: '', offlinePush: null, fromNick: '', fromFace: '', ...('nameCard' in m ? { nameCard: '' } : {}) };
      if (await log.redact(e.stream, e.version, { type: e.type, data: erased })) purged++;
    }
    if (page.length < PAGE) return { afterPosition, purged };
  }
}

/** The oldest message time (unix seconds) still within retention. */
export const retentionFloor = (roamingDays: number, nowMs = Date.now()) => Math.floor(nowMs / 1000) - roamingDays * 86_400;
