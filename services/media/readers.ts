/**
 * Who may read a media file now, at download and when a message carrying it is sent. A download URL proves that its holder was given it (by the
 * uploader, or by a message); this adds, when the request says who is reading, that the reader
 * still belongs to a conversation of a message holding the file: a member who left a group no
 * longer loads its files, whatever URLs they kept. The administrator and the uploader always may.
 * A message only holds the files its sender may read (./references.ts), so a former member cannot
 * regain access by pasting a kept URL into a conversation of their own.
 *
 * Cheap by construction: one ledger question (the conversations holding the file) and, for
 * groups, one read of the reader's joined-group feed, and the verdict is remembered for a short
 * while per (app, reader, file), so an image shown again and again is checked once.
 */
import type { ServiceBroker } from 'moleculer';
import { groupsOf } from '../groups/client';
import { MEDIA_SERVICE } from './service-name';

/** How long a verdict is reused, ms: a member who leaves loses access within this time. */
export const VERDICT_MS = 30_000;
const MAX_VERDICTS = 50_000;

const verdicts = new Map<string, { may: boolean; until: number }>();

export interface Reader {
  id: string;
  admin: boolean;
}

/** `owner`: the uploader when the caller knows it (a download read the file's meta); else the ledger's. */
export async function mayRead(broker: ServiceBroker, app: number, fileKey: string, owner: string | undefined, reader: Reader, nowMs = Date.now()): Promise<boolean> {
  if (reader.admin || reader.id === owner) return true;
  const key = `${app}\u0000${reader.id}\u0000${fileKey}`;
  const known = verdicts.get(key);
  if (known && known.until > nowMs) return known.may;
  const may = await ask(broker, app, fileKey, reader.id);
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
  verdicts.set(key, { may, until: nowMs + VERDICT_MS });
  return may;
}

/** Forgets remembered verdicts (tests, and a node that wants a membership change seen at once). */
export const forgetVerdicts = () => verdicts.clear();

async function ask(broker: ServiceBroker, app: number, fileKey: string, user: string, depth = 0): Promise<boolean> {
  const { kept, owner, conversations } = await broker.call<{ kept: boolean; owner: string; conversations: string[] }, object>(`${MEDIA_SERVICE}.readers`, { app, fileKey });
  if (!kept) return false;
  if (owner === user) return true;
  const groups = new Set<string>();
  for (const c of conversations) {
    if (c.startsWith('c2c:') && c.slice(4).split('|').includes(user)) return true;
    // Media inside a stored combined message (./relay.ts): whoever may read the list may read them.
    if (c.startsWith('relay:') && depth < 3 && (await ask(broker, app, c.slice(6), user, depth + 1))) return true;
    // A topic's messages are read by the members of its community.
    if (c.startsWith('group:')) groups.add(c.slice(6).split('/')[0]);
  }
  if (groups.size === 0) return false;
  return (await groupsOf(broker).memberOf(app, user, [...groups])).size > 0;
}
