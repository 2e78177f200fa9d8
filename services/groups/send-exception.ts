/**
 * Group.CallbackSendMsgException: the app backend hears of a group message that was not sent,
 * because the group refused it (sender muted, not a member, …) or frequency control dropped it
 * (10023, while the sender is told it was sent). Nothing was appended, so the report is queued
 * in the outbox on its own, in the group's order.
 */
import type { ServiceBroker } from 'moleculer';
import { DomainError } from '../../runtime/kind';
import { DOMAIN_REFUSED } from '../../runtime/moleculer/errors';
import { viaParams, type Via } from '../commands/commands';
import { queueAfter } from '../webhooks/client';

/** The send as Tencent reports it: GroupId, Type, From_Account, Operator_Account, Random, OnlineOnlyFlag, MsgBody, CloudCustomData. */
export type FailedSend = { GroupId: string } & Record<string, unknown>;

/** The Tencent code and text of a domain refusal (as thrown locally or after a Moleculer hop); undefined for anything else. */
export function refusalOf(err: unknown): { code: number; info: string } | undefined {
  if (err instanceof DomainError) return { code: err.code, info: err.message };
  const e = err as { type?: string; message?: string; data?: { code?: unknown } } | null;
  if (e?.type === DOMAIN_REFUSED && typeof e.data?.code === 'number') return { code: e.data.code, info: e.message ?? '' };
  return undefined;
}

export function reportSendException(broker: ServiceBroker, app: number, send: FailedSend, code: number, info: string, via: Via): void {
  void queueAfter(broker, { app, command: 'Group.CallbackSendMsgException', body: { ...send, ErrorCode: code, ErrorInfo: info }, orderKey: `group:${send.GroupId}`, ...viaParams(via) });
}
