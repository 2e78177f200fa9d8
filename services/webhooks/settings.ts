/** The callback settings of an app, read from the node-local app directory (no hop, no await). */
import type { ServiceBroker } from 'moleculer';
import { callbackEnabled, callbackSettings, type CallbackSettings } from '../../actors/apps/settings/callbacks';
import { appDirectory } from '../apps/registry';

export function appCallbackSettings(broker: ServiceBroker, app: number): CallbackSettings | undefined {
  const entry = appDirectory(broker).get(app);
  return entry ? callbackSettings(entry.settings) : undefined;
}

/**
 * Whether the app wants `command` (or, without one, any callback at all): lets a caller skip
 * building a body nobody will receive, on paths every message takes.
 */
export function wantsCallback(broker: ServiceBroker, app: number, command?: string): boolean {
  const s = appCallbackSettings(broker, app);
  return !!s && (command === undefined ? s.url !== '' : callbackEnabled(s, command));
}

/**
 * `wantsCallback` for several commands at once, with the settings read once: undefined when
 * the app has no callback URL, else whether it wants a given command.
 */
export function callbackFilter(broker: ServiceBroker, app: number): ((command: string) => boolean) | undefined {
  const s = appCallbackSettings(broker, app);
  return s && s.url !== '' ? (command) => callbackEnabled(s, command) : undefined;
}

/** ForbidCallbackControl of a REST send: these flags suppress the send callbacks of that one message. */
export function forbidden(command: string, forbid: readonly string[] | undefined): boolean {
  if (!forbid || forbid.length === 0) return false;
  if (command.endsWith('.CallbackBeforeSendMsg')) return forbid.includes('ForbidBeforeSendMsgCallback');
  if (command.endsWith('.CallbackAfterSendMsg')) return forbid.includes('ForbidAfterSendMsgCallback');
  return false;
}
