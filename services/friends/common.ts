/** What the relationship-chain actions share: their command-table codes, clock and answers. */
import type { Context } from 'moleculer';
import { SNS } from '../../actors/relations';
import type { CommandParams } from '../rest/commands';

/** Relationship-chain codes: 30001 bad params, 30006 internal; answers carry ErrorDisplay. */
export const sns = { invalidCode: SNS.INVALID, internalCode: SNS.INTERNAL, display: true, user: true } as const;
export const nowSec = () => Math.floor(Date.now() / 1000);

export type P<B> = Context<CommandParams<B>>;

/** Per-account results of a batch, with the failed accounts (a pending request is no failure). */
export const results = (codes: Record<string, number>, ids: string[]) => ({
  ResultItem: ids.map((To_Account) => ({ To_Account, ResultCode: codes[To_Account] ?? 0, ResultInfo: codes[To_Account] ? `error ${codes[To_Account]}` : '' })),
  Fail_Account: ids.filter((id) => codes[id] !== 0 && codes[id] !== SNS.PENDING),
});
