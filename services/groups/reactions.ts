/**
 * What the reactions context must know of a group message before a reaction is stored
 * (services/reactions, through ./client.ts): the caller is a member who may see the message
 * (10007 otherwise, 10010 for no such group), the message exists and is not recalled (10030),
 * and who to push the change to. The group actor answers the membership and recall part
 * (`locate`, a read of its state); the message's identity in the SDK (`<sender TinyId>-
 * <MsgClientTime>-<MsgRandom>`) comes from the log's `seq` index.
 */
import type { ActionSchema, Context } from 'moleculer';
import { GROUP_CODES, groupStream, MESSAGE_SENT, type HistoryWindow, type MessageSentData } from '../../actors/group';
import { DomainError } from '../../runtime/kind';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { view } from './context';
import type { GroupReactionTarget } from './client';
import type { GroupsService } from './types';

interface TargetParams {
  app: number;
  groupId: string;
  user: string;
  seq: number;
  /** An app administrator acting (extensions over REST): sees every message, member or not. */
  admin?: boolean;
}

export const reactionActions: Record<string, ActionSchema> = {
  /** Internal (no Tencent command): a group message a member reacts to, and the members to tell. */
  reactionTarget: {
    params: { $$strict: true, app: { type: 'number', integer: true, positive: true }, groupId: 'string', user: 'string', seq: { type: 'number', integer: true, min: 1 }, admin: { type: 'boolean', optional: true } },
    async handler(this: GroupsService, ctx: Context<TargetParams>): Promise<GroupReactionTarget> {
      const { app, groupId, user, seq, admin } = ctx.params;
      const viewer = { id: user, admin: admin === true };
      const window = await this.group<HistoryWindow>(app, groupId, { op: 'locate', viewer, seq }, ctx);
      if (window.top !== seq || seq < window.floor || window.recalled.includes(seq)) throw new DomainError(GROUP_CODES.RECALL_NOT_FOUND, `no message ${seq} in ${groupId} for ${user}`);
      const filed = await runtimeOf(this.broker).store.readIndex(groupStream(app, groupId), { index: 'seq', high: seq, low: seq, limit: 8 });
      const sent = filed.find((e) => e.type === MESSAGE_SENT)?.data as MessageSentData | undefined;
      if (!sent) throw new DomainError(GROUP_CODES.RECALL_NOT_FOUND, `${seq} in ${groupId} is no message`);
      const v = await view(this, app, groupId, ctx, viewer);
      return { from: sent.from, clientTime: sent.clientTime || sent.time, random: sent.random, members: v.members.map(([id]) => id), supportExtension: sent.supportExtension === true };
    },
  },
};
