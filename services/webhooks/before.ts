/**
 * Before-callbacks: ask the app backend, wait at most the app's timeout, and turn the answer
 * into a typed verdict. Runs on the caller's node (the conversation or group actor's), with
 * no Moleculer hop: the hot path of a send pays one local-network HTTP round trip only.
 */
import crypto from 'node:crypto';
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import { callbackEnabled, familyOf } from '../../actors/apps/settings/callbacks';
import { CallbackTransportError, postJson } from './http';
import { callbackBody, callbackTarget } from './request';
import { appCallbackSettings, forbidden } from './settings';
import { interpret, onFailure, type Verdict } from './verdict';
import { LOCAL, type CallbackSent } from '../events';

export interface BeforeParams {
  app: number;
  /** A before CallbackCommand, e.g. C2C.CallbackBeforeSendMsg. */
  command: string;
  /** The documented body, without CallbackCommand (added here). */
  body: Record<string, unknown>;
  platform?: string;
  clientIp?: string;
  /** ForbidCallbackControl of the send, when it came through REST. */
  forbid?: string[];
  /** For the log lines of failed or odd answers. */
  requestId?: string;
}

const loggers = new WeakMap<ServiceBroker, LoggerInstance>();
export function webhookLogger(broker: ServiceBroker): LoggerInstance {
  let logger = loggers.get(broker);
  if (!logger) loggers.set(broker, (logger = broker.getLogger('webhooks')));
  return logger;
}

const ALLOW_OFF: Verdict = Object.freeze({ verdict: 'allow', via: 'off' });
const ALLOW_FORBIDDEN: Verdict = Object.freeze({ verdict: 'allow', via: 'forbidden' });

export async function callBefore(broker: ServiceBroker, p: BeforeParams): Promise<Verdict> {
  const family = familyOf(p.command);
  if (family === undefined || family === 'after') throw new TypeError(`${p.command} is not a before-callback`);
  const settings = appCallbackSettings(broker, p.app);
  if (!settings || !callbackEnabled(settings, p.command)) return ALLOW_OFF;
  if (forbidden(p.command, p.forbid)) return ALLOW_FORBIDDEN;
  const log = webhookLogger(broker);
  // Made only when a line is logged: the common path needs no id.
  let requestId = p.requestId;
  const rid = (): string => (requestId ??= crypto.randomUUID());
  try {
    const answer = await postJson(callbackTarget(settings, p), callbackBody(p.command, p.body), settings.timeoutMs).catch((err: unknown) => {
      counted(broker, p, false);
      throw err;
    });
    const verdict = interpret(family, answer.status, answer.text);
    counted(broker, p, !('bad' in verdict));
    if ('bad' in verdict) {
      log.warn(`webhook ${p.command} of app ${p.app} (request ${rid()}): ${verdict.bad}; treated as no answer`);
      return onFailure(family, settings.beforeTimeoutPolicy, 'bad-answer');
    }
    if (verdict.note) log.warn(`webhook ${p.command} of app ${p.app} (request ${rid()}): ${verdict.note}`);
    return verdict;
  } catch (err) {
    const kind = err instanceof CallbackTransportError ? err.kind : 'unreachable';
    log.warn(`webhook ${p.command} of app ${p.app} (request ${rid()}) failed: ${(err as Error).message}; policy ${settings.beforeTimeoutPolicy}`);
    return onFailure(family, settings.beforeTimeoutPolicy, kind);
  }
}

/** For the statistics and metrics of this node (services/events.ts LOCAL). */
function counted(broker: ServiceBroker, p: BeforeParams, answered: boolean): void {
  broker.localBus.emit(LOCAL.CALLBACK_SENT, { app: p.app, command: p.command, answered } satisfies CallbackSent);
}
