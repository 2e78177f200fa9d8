/**
 * Runs one Tencent command for REST or WebSocket callers alike: renames old fields, calls the
 * action, and turns any failure into a Tencent code. Only the caller differs between the two.
 */
import type { ServiceBroker } from 'moleculer';
import type { Caller, CommandEntry } from './commands';

export type CommandOutcome = { ok: true; result: object | undefined } | { ok: false; code: number; info: string; extra?: object };

interface MoleculerLikeError {
  type?: string;
  message?: string;
  data?: unknown;
}

export async function dispatchCommand(
  broker: ServiceBroker,
  entry: CommandEntry,
  app: number,
  caller: Caller,
  body: Record<string, unknown>,
  requestId: string,
): Promise<CommandOutcome> {
  if (entry.renames) body = renameFields(body, entry.renames);
  try {
    const result = await broker.call<object | undefined, object>(entry.action, { app, caller, body }, { requestID: requestId });
    return { ok: true, result };
  } catch (err) {
    return toOutcome(broker, entry, err as MoleculerLikeError, requestId);
  }
}

function renameFields(body: Record<string, unknown>, renames: Record<string, string>): Record<string, unknown> {
  const out = { ...body };
  for (const [old, current] of Object.entries(renames)) {
    if (old in out && !(current in out)) out[current] = out[old];
    delete out[old];
  }
  return out;
}

function toOutcome(broker: ServiceBroker, entry: CommandEntry, err: MoleculerLikeError, requestId: string): CommandOutcome {
  const data = err.data as { code?: unknown; extra?: object } | { field?: string; message?: string }[] | undefined;
  if (data && !Array.isArray(data) && typeof data.code === 'number') {
    return { ok: false, code: data.code, info: err.message ?? 'refused', extra: data.extra };
  }
  if (err.type === 'VALIDATION_ERROR' && Array.isArray(data)) {
    const fields = data.map((d) => `${(d.field ?? '').replace(/^body\./, '')}: ${d.message ?? 'invalid'}`).join('; ');
    return { ok: false, code: entry.invalidCode, info: `invalid request: ${fields}` };
  }
  broker.logger.error(`request ${requestId} ${entry.command} failed:`, err);
  return { ok: false, code: entry.internalCode, info: `internal error (request ${requestId})` };
}
