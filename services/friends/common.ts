/** What the relationship-chain actions share: their command-table codes, clock and answers. */
import type { Context } from 'moleculer';
import { SNS } from '../../actors/relations';
import type { CommandParams } from '../commands/commands';
import type { Verdict } from '../webhooks/client';

/** Relationship-chain codes: 30001 bad params, 30006 internal; answers carry ErrorDisplay. */
export const sns = { invalidCode: SNS.INVALID, internalCode: SNS.INTERNAL, display: true, user: true } as const;
export const nowSec = () => Math.floor(Date.now() / 1000);

export type P<B> = Context<CommandParams<B>>;

/**
 * Per-account results of a batch, with the failed accounts (a pending request is no failure).
 * `vetoed`: accounts the backend's before-callback refused (vetoes), with the code and text to
 * show; they have no code of their own in `codes`.
 */
export function results(codes: Record<string, number>, ids: string[], vetoed: ReadonlyMap<string, { code: number; info: string }> = new Map()) {
  const codeOf = (id: string) => vetoed.get(id)?.code ?? codes[id] ?? 0;
  return {
    ResultItem: ids.map((To_Account) => ({ To_Account, ResultCode: codeOf(To_Account), ResultInfo: vetoed.get(To_Account)?.info || (codeOf(To_Account) ? `error ${codeOf(To_Account)}` : '') })),
    Fail_Account: ids.filter((id) => codeOf(id) !== 0 && codeOf(id) !== SNS.PENDING),
  };
}

/**
 * What the backend's Sns.CallbackPrev* verdict refuses, target by target: its per-item codes and texts,
 * or every target when the whole callback was refused (no usable answer and the app's
 * beforeTimeoutPolicy is reject, answered with 38000 per target).
 */
export function vetoes(verdict: Verdict | undefined, targets: string[]): Map<string, { code: number; info: string }> {
  if (verdict?.verdict === 'reject') return new Map(targets.map((t) => [t, { code: verdict.code, info: verdict.info }]));
  const results = verdict?.verdict === 'allow' ? (verdict.results ?? []) : [];
  return new Map(results.filter((r) => r.ResultCode !== 0).map((r) => [r.To_Account, { code: r.ResultCode, info: r.ResultInfo }]));
}
