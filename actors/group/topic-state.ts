/**
 * The topics of a Community, as its actor holds them: each with its own profile, sequence,
 * recall window, mutes and read positions. Messages are stored in the community's stream and
 * filed under the `tkey` index (slot, then sequence), so a topic's history is one index range.
 */
import {
  TOPIC_CHANGED,
  TOPIC_CREATED,
  TOPIC_DESTROYED,
  TOPIC_MEMBERS_MUTED,
  TOPIC_MESSAGE_MODIFIED,
  TOPIC_MESSAGE_SENT,
  TOPIC_MESSAGES_DELETED,
  TOPIC_MESSAGES_RECALLED,
  TOPIC_READ,
  type GroupEvent,
  type TopicPatch,
} from './events';

export interface TopicMessageMeta {
  from: string;
  time: number;
  random: number;
  clientTime: number;
  recalled: boolean;
  deleted: boolean;
  /** modify_group_msg changes so far (the SDK's MsgVersion); absent = 0. */
  edits?: number;
}

export interface Topic {
  slot: number;
  name: string;
  faceUrl: string;
  introduction: string;
  notification: string;
  customString: string;
  createTime: number;
  muteAll: boolean;
  /** Everyone's topic-level mask here (permissions.ts). */
  defaultPermission?: string;
  lastSeq: number;
  lastMsgTime: number;
  /** The newest TOPIC_REMEMBERED messages, for recall, deletion and history marks. */
  messages: Map<number, TopicMessageMeta>;
  mutes: Map<string, number>;
  /** Members' read positions; a member who never read a topic has read nothing of it. */
  reads: Map<string, number>;
  /** `from|random` → the first send, for the five-minute resend window. */
  dedup: Map<string, { seq: number; time: number; contentHash: number }>;
}

/** Per topic: a community holds up to 200 of them. */
export const TOPIC_REMEMBERED = 1_000;
/** The seed's "Use Limits": topics per community. */
export const MAX_TOPICS = 200;

/** Applies a topic event to `topics` in place; false when the event is not about topics. */
export function evolveTopics(topics: Map<string, Topic>, event: GroupEvent, dedupSeconds: number): boolean {
  switch (event.type) {
    case TOPIC_CREATED: {
      const d = event.data;
      topics.set(d.topicId, {
        slot: d.slot, name: d.name, faceUrl: d.faceUrl, introduction: d.introduction, notification: d.notification, customString: d.customString,
        createTime: d.createTime, muteAll: false, lastSeq: 0, lastMsgTime: 0, messages: new Map(), mutes: new Map(), reads: new Map(), dedup: new Map(),
      });
      return true;
    }
    case TOPIC_CHANGED: {
      const t = topics.get(event.data.topicId);
      if (t) Object.assign(t, JSON.parse(event.data.patch) as TopicPatch);
      return true;
    }
    case TOPIC_DESTROYED:
      topics.delete(event.data.topicId);
      return true;
    case TOPIC_MESSAGE_SENT: {
      const m = event.data;
      const t = topics.get(m.topicId);
      if (!t) return true;
      for (const [key, entry] of t.dedup) {
        if (entry.time >= m.time - dedupSeconds) break;
        t.dedup.delete(key);
      }
      t.dedup.set(`${m.from}|${m.random}`, { seq: m.seq, time: m.time, contentHash: m.contentHash });
      t.messages.set(m.seq, { from: m.from, time: m.time, random: m.random, clientTime: m.clientTime, recalled: false, deleted: false });
      if (t.messages.size > TOPIC_REMEMBERED) t.messages.delete(t.messages.keys().next().value as number);
      t.lastSeq = m.seq;
      t.lastMsgTime = Math.max(t.lastMsgTime, m.time);
      t.reads.set(m.from, Math.max(t.reads.get(m.from) ?? 0, m.seq));
      return true;
    }
    case TOPIC_MESSAGES_RECALLED:
    case TOPIC_MESSAGES_DELETED: {
      const t = topics.get(event.data.topicId);
      for (const seq of event.data.seqs) {
        const meta = t?.messages.get(seq);
        if (!meta) continue;
        if (event.type === TOPIC_MESSAGES_RECALLED) meta.recalled = true;
        else meta.deleted = true;
      }
      return true;
    }
    case TOPIC_MESSAGE_MODIFIED: {
      const meta = topics.get(event.data.topicId)?.messages.get(event.data.seq);
      if (meta) meta.edits = (meta.edits ?? 0) + 1;
      return true;
    }
    case TOPIC_MEMBERS_MUTED: {
      const t = topics.get(event.data.topicId);
      for (const u of event.data.users) {
        if (event.data.until === 0) t?.mutes.delete(u);
        else t?.mutes.set(u, event.data.until);
      }
      return true;
    }
    case TOPIC_READ: {
      const t = topics.get(event.data.topicId);
      if (t) t.reads.set(event.data.user, Math.max(t.reads.get(event.data.user) ?? 0, event.data.seq));
      return true;
    }
    default:
      return false;
  }
}
