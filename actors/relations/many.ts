/**
 * `many`: several steps on one user's chain in one append, with the after-callback that
 * reports them. A saga writes the peers' halves first and ends with this, so the owner's half of
 * every target and its callback are stored together or not at all: a crash before it leaves
 * only peers' halves, which the retried request finds recorded (no-ops) before it writes the
 * owner's, and reports then.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import type { ManyCommand, ManyReply, RelationsReply, RelationsStep } from './commands';
import * as E from './events';
import type { RelationsEvent, ReportPair } from './events';
import { evolve, type RelationsState } from './state';

/**
 * Runs each step on the state the steps before it leave (evolve is pure, so this is the state
 * the host reaches by applying all the events in order). A refused step records nothing and
 * the others go on; anything but a refusal fails the whole command.
 */
export function many(s: RelationsState, c: ManyCommand, decideStep: (s: RelationsState, step: RelationsStep) => Decision<RelationsEvent, RelationsReply>): Decision<RelationsEvent, ManyReply> {
  const reply: ManyReply = { codes: [], changed: [], replies: [] };
  const events: RelationsEvent[] = [];
  const reported: ReportPair[] = [];
  // evolve works in place, and the host's state must not change before the append succeeds.
  let state = c.steps.length > 1 ? structuredClone(s) : s;
  c.steps.forEach((step, i) => {
    let out: Decision<RelationsEvent, RelationsReply>;
    try {
      out = decideStep(state, step);
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      reply.codes.push(err.code);
      reply.changed.push(false);
      reply.replies.push(null);
      return;
    }
    reply.codes.push(0);
    reply.changed.push(out.events.length > 0);
    reply.replies.push(out.reply);
    if (out.events.length > 0) reported.push(...(c.report?.pairs[i] ?? []));
    if (i < c.steps.length - 1) for (const e of out.events) state = evolve(state, e);
    events.push(...out.events);
  });
  if (c.report && reported.length > 0) {
    const { command, clientCmd, admin, force, platform, clientIp } = c.report;
    events.push({ type: E.CHANGE_REPORTED, data: { command, clientCmd, admin, force, platform, clientIp, pairs: reported } });
  }
  return { events, reply };
}
