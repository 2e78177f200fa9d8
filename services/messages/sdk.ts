/**
 * The one-to-one commands of SDK users that need more than one call to the conversation:
 * history paging (openim.getroammsg) and the current content of a modified message.
 */
import { conversationStream, MESSAGE_MODIFIED, MESSAGE_SENT, type C2CEvent, type ConversationView, type MessageSentData } from '../../actors/c2c';
import type { EventLog } from '../../runtime/eventlog';
import { fitting } from '../commands/reply-budget';
import { readHistory, type HistoryItem } from './history';
import type { SdkRoamBody } from './sdk-bodies';
import { sdkRoamItem, sdkRoamReply, type MessageIdentity, type ModifiedContent } from './wire';

/** The message a MsgKey (`<MsgSeq>_<MsgRandom>_<MsgTime>`) names, with what the key does not say. */
export function identityOf(msgKey: string, from: string, to: string, clientTime: number | undefined): MessageIdentity {
  const [clientSeq, random, time] = msgKey.split('_').map(Number);
  return { from, to, clientSeq, random, time, clientTime: clientTime || time };
}

const DEFAULT_PAGE = 15;
/** Going forward (GetDirection 1) reads at most this many newer messages to find the oldest ones. */
const FORWARD_SCAN = 1000;

export interface RoamQuery {
  app: number;
  reader: string;
  view: ConversationView;
  /** Stream version of the cursor message, when the SDK sent a MsgKey this conversation knows. */
  cursorVersion: number | undefined;
  /** Its sequence (spares reading it from the log). */
  cursorSeq?: number;
  body: SdkRoamBody;
  /** Oldest message time (unix s) still within the app's roaming period. */
  minTime: number;
}

export async function sdkHistory(log: EventLog, q: RoamQuery) {
  const { app, reader, view, body } = q;
  const stream = conversationStream(app, reader, body.Peer_Account);
  const max = body.MaxCnt ?? DEFAULT_PAGE;
  const keep = (i: HistoryItem) => body.WithRecalledMsg !== 0 || !i.recalled;
  const item = (i: HistoryItem) => sdkRoamItem(app, i.message, i.recalled, view.peerReadSeq, reader, i.edits, i.receipted);
  if (body.GetDirection === 1) {
    const since = Math.max(body.LastMsgTime ?? 0, q.minTime);
    const page = await readHistory(log, { stream, reader, beforeVersion: Number.MAX_SAFE_INTEGER, maxCount: FORWARD_SCAN, minTime: since, maxTime: Number.MAX_SAFE_INTEGER });
    const oldestFirst = page.items.filter(keep).reverse().map(item);
    // After a cursor, what follows it: messages of its second before it came with the last page.
    const newer = oldestFirst.slice(oldestFirst.findIndex((i) => i.MsgKey === body.MsgKey) + 1);
    const items = fitting(newer.slice(0, max));
    return sdkRoamReply(items, items.length === newer.length, items[items.length - 1]);
  }
  // Without a known cursor, LastMsgTime bounds the page (a first page sends 0: the newest).
  const beforeVersion = q.cursorVersion ?? Number.MAX_SAFE_INTEGER;
  const maxTime = q.cursorVersion === undefined && body.LastMsgTime ? body.LastMsgTime : Number.MAX_SAFE_INTEGER;
  const page = await readHistory(log, { stream, reader, beforeVersion, beforeSeq: q.cursorSeq, maxCount: max, minTime: q.minTime, maxTime });
  const newestFirst = page.items.filter(keep).map(item);
  // Bounded in bytes too: the oldest left out open the next page, from the cursor of the oldest sent.
  const kept = fitting(newestFirst);
  const items = kept.reverse();
  return sdkRoamReply(items, page.complete && kept.length === newestFirst.length, items[0]);
}

/** Content of a message after every modification so far, read from its place in the stream on. */
export async function currentContent(log: EventLog, stream: string, version: number, msgKey: string, edits: number): Promise<ModifiedContent> {
  const [sent] = await log.read(stream, version - 1, 1);
  const m = (sent as unknown as C2CEvent).type === MESSAGE_SENT ? (sent.data as MessageSentData) : undefined;
  let body = m?.body ?? '[]';
  let cloudCustomData = m?.cloudCustomData ?? '';
  for (let after = version; ; ) {
    const page = await log.read(stream, after, 500);
    for (const e of page as unknown as (C2CEvent & { version: number })[]) {
      after = e.version;
      if (e.type !== MESSAGE_MODIFIED || e.data.msgKey !== msgKey) continue;
      body = e.data.body ?? body;
      cloudCustomData = e.data.cloudCustomData ?? cloudCustomData;
    }
    if (page.length < 500) break;
  }
  return { MsgBody: JSON.parse(body) as unknown[], CloudCustomData: cloudCustomData, MsgVersion: edits };
}
