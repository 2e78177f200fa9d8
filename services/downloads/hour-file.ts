/**
 * The message download file of one hour (open_msg_svc/get_history): every one-to-one or group
 * message of the app stored in that hour, read from the event log by time, as JSON
 * `{"MsgList":[…]}` in Tencent's field names, gzip-compressed. A pure function of the log, so
 * any node makes the same bytes (and MD5s) again when the URL is fetched, and nothing is kept
 * on disk. An hour of more than PART_MESSAGES messages becomes several files.
 */
import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { EventLog } from '../../runtime/eventlog';
import { MESSAGE_SENT as C2C_SENT, msgKeyOf, type MessageSentData as C2CMessage } from '../../actors/c2c/events';
import { MESSAGE_SENT as GROUP_SENT, type MessageSentData as GroupMessage } from '../../actors/group/events';

export type ChatType = 'C2C' | 'Group';

export const PART_MESSAGES = 50_000;
const PAGE = 1000;

export interface HourFile {
  gzip: Buffer;
  fileSize: number;
  fileMd5: string;
  gzipMd5: string;
  messages: number;
}

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return [];
  }
};

function c2cItem(m: C2CMessage): Record<string, unknown> {
  return {
    From_Account: m.from,
    To_Account: m.to,
    MsgSeq: m.seq,
    MsgRandom: m.random,
    MsgTimestamp: m.time,
    MsgKey: msgKeyOf(m),
    MsgFromPlatform: m.platform,
    ClientIP: m.clientIp,
    CloudCustomData: m.cloudCustomData,
    MsgBody: parse(m.body),
  };
}

function groupItem(groupId: string, m: GroupMessage): Record<string, unknown> {
  return {
    GroupId: groupId,
    From_Account: m.from,
    MsgSeq: m.seq,
    MsgRandom: m.random,
    MsgTimestamp: m.time,
    MsgPriority: m.priority,
    CloudCustomData: m.cloudCustomData,
    MsgBody: parse(m.body),
  };
}

/** The hour's files, in log order; none when the hour holds no message. */
export async function hourFiles(log: EventLog, app: number, type: ChatType, from: number): Promise<HourFile[]> {
  const prefix = type === 'C2C' ? `c2c:${app}:` : `group:${app}:`;
  const wanted = type === 'C2C' ? C2C_SENT : GROUP_SENT;
  const items: Record<string, unknown>[] = [];
  for (let after = 0; ; ) {
    const page = await log.readByTime({ from, to: from + 3_600_000, streamPrefix: prefix, afterPosition: after, limit: PAGE });
    for (const e of page) {
      if (e.type !== wanted) continue;
      items.push(type === 'C2C' ? c2cItem(e.data as C2CMessage) : groupItem(e.stream.slice(prefix.length), e.data as GroupMessage));
    }
    if (page.length < PAGE) break;
    after = page[page.length - 1].position;
  }
  const files: HourFile[] = [];
  for (let i = 0; i < items.length; i += PART_MESSAGES) {
    const part = items.slice(i, i + PART_MESSAGES);
    const plain = Buffer.from(JSON.stringify({ MsgList: part }), 'utf8');
    // Node's gzip writes no time stamp: the same messages always give the same bytes.
    const gzip = zlib.gzipSync(plain, { level: 6 });
    files.push({ gzip, fileSize: plain.length, fileMd5: md5(plain), gzipMd5: md5(gzip), messages: part.length });
  }
  return files;
}

const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');

/** Files recently made, per event log: a get_history followed by its downloads makes them once. */
const CACHED = 8;
const caches = new WeakMap<EventLog, Map<string, Promise<HourFile[]>>>();

export function cachedHourFiles(log: EventLog, app: number, type: ChatType, from: number): Promise<HourFile[]> {
  let cache = caches.get(log);
  if (!cache) caches.set(log, (cache = new Map()));
  const key = `${app}/${type}/${from}`;
  let files = cache.get(key);
  if (!files) {
    files = hourFiles(log, app, type, from);
    files.catch(() => cache.delete(key));
    cache.set(key, files);
    if (cache.size > CACHED) cache.delete(cache.keys().next().value!);
  }
  return files;
}
