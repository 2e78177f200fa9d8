/**
 * recentcontact.page_get, the SDK's conversation list: a full pass (every conversation, newest
 * first, one-to-one and group ones merged by time) or an incremental one (only what changed since
 * the cursor of the SDK's last complete list: group conversations first, then one-to-one ones in
 * the order they changed). list-cursor.ts has the cursor; docs/conversations.md the why.
 */
import type { Context } from 'moleculer';
import type { Contact, ContactChanges, ContactGroup, ContactPage, ConvSettings } from '../../actors/inbox';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { fitting } from '../commands/reply-budget';
import { groupSessions, merge, nextCursor, sdkGroupSessionItem, splitCursor } from './group-sessions';
import { fullReply, groupsOfPass, incrementalReply, passKey, readCursor, type CursorFields, type ListCursor } from './list-cursor';
import { lastMessageOf, sdkSessionItem } from './sessions';
import { groupItem } from './settings-wire';
import type { ConversationsService } from './types';

/** Conversations per page (the SDK asks again until CompleteFlag is 1). */
const SDK_PAGE = 50;

const clientSeqOf = (msgKey: string) => Number(msgKey.split('_')[0]) || 0;

type Incremental = Extract<ListCursor, { kind: 'incremental' }>;

export async function pageGet(svc: ConversationsService, app: number, user: string, body: CursorFields, ctx: Context) {
  const cursor = readCursor(body, Math.floor(Date.now() / 1000));
  if (cursor.kind === 'incremental') {
    const reply = await incrementalPage(svc, app, user, cursor, ctx);
    if (reply) return reply;
  }
  return fullPage(svc, app, user, cursor.kind === 'full' ? cursor : { kind: 'full', first: true, anchor: cursor.anchor, offsets: 0 }, ctx);
}

async function fullPage(svc: ConversationsService, app: number, user: string, cursor: Extract<ListCursor, { kind: 'full' }>, ctx: Context) {
  const start = splitCursor(cursor.offsets);
  const page = await svc.inbox<ContactPage>(app, user, { op: 'list', offset: start.c2c, limit: SDK_PAGE }, ctx);
  if (cursor.first) cursor.anchor.version = page.version;
  const groups = await groupsOfPass(passKey(app, user, cursor), cursor.first, () => groupSessions(svc, app, user, ctx));
  const merged = merge(page.contacts, groups, start.groups, SDK_PAGE);
  const c2c = await c2cItems(svc, app, user, merged.flatMap((m) => (m.kind === 'c2c' ? [m.contact] : [])), page.settings, ctx);
  let c = 0;
  const items = merged.map((m) => (m.kind === 'group' ? sdkGroupSessionItem(m.session) : c2c[c++]));
  // Each item carries its last message (up to 12 KB): a page ends early at REPLY_BUDGET_BYTES.
  const sent = fitting(items);
  const next = nextCursor(merged.slice(0, sent.length), start, page.complete, page.contacts.length, groups.length);
  return withGroups(fullReply(cursor.anchor, next), sent, page.contactGroups);
}

/** A page of an incremental pass, or undefined when the cursor is not this inbox's (a full pass answers instead). */
async function incrementalPage(svc: ConversationsService, app: number, user: string, cursor: Incremental, ctx: Context) {
  const changes = await svc.inbox<ContactChanges>(app, user, { op: 'changes', after: cursor.afterVersion, limit: SDK_PAGE }, ctx);
  if (changes.version < cursor.afterVersion) return undefined;
  if (cursor.first) cursor.anchor.version = changes.version;
  const groups = await groupsOfPass(passKey(app, user, cursor), cursor.first, async () => {
    const changed = new Set(changes.groupIds);
    return (await groupSessions(svc, app, user, ctx)).filter((s) => s.time >= cursor.sinceTime || changed.has(s.conv.groupId));
  });
  const pageGroups = groups.slice(cursor.groupOffset, cursor.groupOffset + SDK_PAGE);
  const room = pageGroups.length === groups.length - cursor.groupOffset ? SDK_PAGE - pageGroups.length : 0;
  const contacts = upToVersionChange(changes.contacts, changes.versions, room);
  const items = [...pageGroups.map(sdkGroupSessionItem), ...(await c2cItems(svc, app, user, contacts, changes.settings, ctx))];
  const fit = fitting(items).length;
  const groupsSent = Math.min(fit, pageGroups.length);
  // One event's conversations share a version: a page ends between versions, or the cursor would skip some.
  let contactsSent = fit - groupsSent;
  while (contactsSent > 0 && contactsSent < contacts.length && changes.versions[contactsSent - 1] === changes.versions[contactsSent]) contactsSent--;
  if (groupsSent === 0 && contactsSent === 0 && contacts.length > 0) contactsSent = upToVersionChange(contacts, changes.versions, 1).length;
  const sent = [...items.slice(0, groupsSent), ...items.slice(pageGroups.length, pageGroups.length + contactsSent)];
  const groupOffset = cursor.groupOffset + groupsSent;
  const afterVersion = contactsSent > 0 ? changes.versions[contactsSent - 1] : cursor.afterVersion;
  const done = groupOffset >= groups.length && contactsSent === changes.contacts.length && changes.complete;
  return withGroups(incrementalReply(cursor, done ? undefined : { groupOffset, afterVersion }), sent, changes.contactGroups);
}

/** The first `limit` contacts, and those after them that changed in the same event. */
function upToVersionChange(contacts: Contact[], versions: number[], limit: number): Contact[] {
  if (limit <= 0) return [];
  let n = Math.min(limit, contacts.length);
  while (n < contacts.length && versions[n] === versions[n - 1]) n++;
  return contacts.slice(0, n);
}

/** One-to-one SessionItems: each with its last message (from the conversation's stream) and the peer's profile. */
async function c2cItems(svc: ConversationsService, app: number, user: string, contacts: Contact[], settings: Record<string, ConvSettings>, ctx: Context) {
  const { store } = runtimeOf(svc.broker);
  return Promise.all(
    contacts.map(async (c) => {
      const [last, peer] = await Promise.all([lastMessageOf(store, app, user, c), svc.profileOf(app, c.peer, ctx)]);
      return sdkSessionItem(c, last, peer, clientSeqOf(c.lastMsgKey), settings[`C2C${c.peer}`]);
    }),
  );
}

/** GroupItem: the conversation groups the items' ContactGroupId name (the SDK reads them from here first). */
const withGroups = (cursor: object, items: object[], contactGroups: ContactGroup[]) => ({ ...cursor, SessionItem: items, GroupItem: contactGroups.map(groupItem) });
