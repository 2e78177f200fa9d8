/**
 * Which messages hold which media files, kept in the app's media ledger (actors/media) so that a
 * file goes when the last message carrying it goes, and never before: a file key is shared by
 * every message that carries its URL (a forward, a batch send to many, a merger of messages).
 *
 * A message names its files by Parley's download URLs (`/media/d/<app>/<fileKey>/…`) and, for a
 * combined message too big for one message, by the `JsonMsgKey` of its stored message list.
 * The reference is taken before the message is appended, under a pending name
 * (`<conversation>#p<token>`), and renamed to `<conversation>#<seq>` once the message has its
 * sequence. A crash in between leaves a pending reference: the file is kept (the safe side)
 * until the roaming period ends. A lost release (recall) does the same. Nothing here ever makes
 * the ledger hold a file by fewer messages than carry it.
 */
import crypto from 'node:crypto';
import type { ServiceBroker } from 'moleculer';
import { mayRead, type Reader } from './readers';
import { MEDIA_SERVICE } from './service-name';

export { MEDIA_SERVICE };

const URL_KEY = /\/media\/d\/(\d{1,10})\/([0-9a-f]{32})\/[olt]/g;
const RELAY_KEY = /"JsonMsgKey"\s*:\s*"([0-9a-f]{32})"/g;

/** The app's file keys a message body (stored JSON, or any value) names. */
export function mediaKeysIn(app: number, body: unknown): string[] {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? null);
  if (!text.includes('/media/d/') && !text.includes('JsonMsgKey')) return [];
  const keys = new Set<string>();
  for (const m of text.matchAll(URL_KEY)) if (Number(m[1]) === app) keys.add(m[2]);
  for (const m of text.matchAll(RELAY_KEY)) keys.add(m[1]);
  return [...keys];
}

/** References of messages: the conversation, then `#` and the message's sequence. */
export const c2cConversation = (a: string, b: string) => `c2c:${a < b ? `${a}|${b}` : `${b}|${a}`}`;
export const groupConversation = (groupId: string, topicId?: string) => `group:${groupId}${topicId ? `/${topicId}` : ''}`;
export const messageRef = (conversation: string, seq: number) => `${conversation}#${seq}`;

/**
 * Sends a message whose body may carry media: the ledger holds its files (pending) before the
 * send, and by the message's sequence after it. `sender`: who sends (an administrator, or a user
 * sending themself or through REST on their behalf). `seqOf` gives the stored message's sequence;
 * 0 when nothing was stored (dropped, online only): the pending hold is released; undefined when
 * the sequence is not known (imports): the pending hold stays until the roaming period ends.
 */
export async function holdingMedia<T>(broker: ServiceBroker, app: number, conversation: string, body: unknown, sender: Reader, send: () => Promise<T>, seqOf: (result: T) => number | undefined): Promise<T> {
  let fileKeys = mediaKeysIn(app, body);
  if (fileKeys.length === 0) return send();
  // Only files the sender may read are held: a URL kept after leaving a group, pasted into a
  // conversation of one's own, gives that conversation no claim on the file. The message is sent
  // all the same; its readers are refused by the reader check, as its sender would be.
  if (!sender.admin) {
    const may = await Promise.all(fileKeys.map((k) => mayRead(broker, app, k, undefined, sender).catch(() => true)));
    fileKeys = fileKeys.filter((_, i) => may[i]);
    if (fileKeys.length === 0) return send();
  }
  const pending = `${conversation}#p${crypto.randomBytes(6).toString('hex')}`;
  const time = Math.floor(Date.now() / 1000);
  try {
    await broker.call(`${MEDIA_SERVICE}.reference`, { app, fileKeys, ref: pending, time });
  } catch (err) {
    // A deployment without the media context keeps no files to hold. Any other failure fails the
    // send (the client retries it): a message sent unheld could see its file deleted under it.
    if ((err as Error).name === 'ServiceNotFoundError') return send();
    throw err;
  }
  let result: T;
  try {
    result = await send();
  } catch (err) {
    void release(broker, app, [pending], 'unsent');
    throw err;
  }
  const seq = seqOf(result);
  if (seq === undefined) return result;
  // Awaited: a recipient who loads the file at once is checked against the message's conversation,
  // which the pending name already carries, so this only has to finish before a recall of it.
  await (seq > 0
    ? broker.call(`${MEDIA_SERVICE}.rename`, { app, from: pending, to: messageRef(conversation, seq), time }).catch((err: unknown) => broker.logger.warn('media reference rename failed (kept pending):', err))
    : release(broker, app, [pending], 'unsent'));
  return result;
}

/** Messages went (recalled, erased): their files go unless other messages still carry them. Never throws. */
export async function release(broker: ServiceBroker, app: number, refs: string[], reason: string): Promise<void> {
  // A deployment without the media context holds no files (as holdingMedia above).
  if (refs.length === 0 || !(broker.registry as unknown as { hasService(name: string): boolean }).hasService(MEDIA_SERVICE)) return;
  await broker.call(`${MEDIA_SERVICE}.release`, { app, refs, reason }).catch((err: Error) => {
    if (err.name === 'ServiceNotFoundError') return;
    broker.logger.warn(`media release of ${refs.length} messages failed (the roaming sweep removes them): ${err.message}`);
  });
}
