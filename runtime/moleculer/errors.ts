/**
 * Domain errors become Moleculer errors once, here: classes do not survive a NATS hop, so
 * callers branch on `type` and on the Tencent code in `data.code`.
 */
import { Errors } from 'moleculer';
import { ActorStaleError, CommandExpiredError, DomainError } from '../kind';

/** The domain refused a command; `data.code` is the Tencent error code. */
export const DOMAIN_REFUSED = 'DOMAIN_REFUSED';

export function toMoleculerError(err: unknown): unknown {
  if (err instanceof DomainError) return new Errors.MoleculerClientError(err.message, 422, DOMAIN_REFUSED, { code: err.code });
  if (err instanceof ActorStaleError) return new Errors.MoleculerRetryableError(err.message, 409, 'ACTOR_STALE', { stream: err.stream });
  if (err instanceof CommandExpiredError) return new Errors.MoleculerError(err.message, 504, 'COMMAND_EXPIRED', { stream: err.stream });
  return err;
}

/** Whether an error is the domain's refusal with this Tencent code, before or after a NATS hop. */
export function refusedWith(err: unknown, code: number): boolean {
  if (err instanceof DomainError) return err.code === code;
  const e = err as { type?: string; data?: { code?: unknown } } | undefined;
  return e?.type === DOMAIN_REFUSED && e.data?.code === code;
}
