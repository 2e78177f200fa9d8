/**
 * Deleting and clearing group conversations (recentcontact delete / batch_delete Type 2,
 * clear_msg Type 2): the user's inbox records the group's newest sequence at that moment, so the
 * conversation leaves the list until a newer message, and cleared messages no longer show to the
 * user (the group's history reads the mark through services/conversations/client.ts).
 */
import type { Context } from 'moleculer';
import { groupsOf } from '../groups/client';
import type { ConversationsService } from './types';

/** The groups among `groupIds` the user belongs to, with their newest sequence. */
async function newestSeqs(svc: ConversationsService, app: number, user: string, groupIds: string[], ctx: Context): Promise<Map<string, number>> {
  const convs = await groupsOf(svc.broker).conversations(app, user, ctx, groupIds);
  return new Map(convs.map((c) => [c.groupId, c.nextSeq - 1]));
}

/** Deletes the user's conversations of these groups (and their history with `clear`); answers the ids it deleted. */
export async function deleteGroupConvs(svc: ConversationsService, app: number, user: string, groupIds: string[], clear: boolean, ctx: Context): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const seqs = await newestSeqs(svc, app, user, groupIds, ctx);
  const now = Date.now();
  for (const [groupId, upToSeq] of seqs) await svc.inbox(app, user, { op: 'deleteGroupConv', groupId, upToSeq, clear, now }, ctx);
  return [...seqs.keys()];
}

export async function clearGroupHistory(svc: ConversationsService, app: number, user: string, groupId: string, ctx: Context): Promise<void> {
  const upToSeq = (await newestSeqs(svc, app, user, [groupId], ctx)).get(groupId);
  if (upToSeq !== undefined) await svc.inbox(app, user, { op: 'clearGroupHistory', groupId, upToSeq, now: Date.now() }, ctx);
}
