/**
 * The console's view of an app's callback settings, and its one write path: `apps.update`,
 * so the rules are actors/apps/settings/app-settings.ts's and nothing here re-validates a field.
 *
 * The signing token is write-only: the view says whether one is set, never what it is. A
 * console left open, a screenshot or a proxy log then never shows it, and an administrator
 * who lost it sets a new one (the backend must learn it either way).
 */
import type { ServiceBroker } from 'moleculer';
import type { App } from '../../actors/apps';
import { CALLBACK_COMMANDS, callbackSettings, type CallbackSettings } from '../../actors/apps/settings/callbacks';
import type { AppDirectory } from '../apps/registry';

export type CallbackView = Omit<CallbackSettings, 'token'> & { tokenSet: boolean };

/** Every CallbackCommand of actors/apps/settings/callbacks.ts, in its order: the console's checklist. */
export const COMMAND_NAMES: readonly string[] = Object.keys(CALLBACK_COMMANDS);

/** How long a write waits for this node's app directory to serve it (a broadcast away). */
const SERVED_WAIT_MS = 3000;

export function callbackView(settings: App['settings']): CallbackView {
  const { token, ...rest } = callbackSettings(settings);
  return { ...rest, tokenSet: token !== '' };
}

/** The answer fields of a read or a write (PascalCase beside the envelope, as Tencent's). */
export function callbackAnswer(app: App): Record<string, unknown> {
  return { SdkAppId: app.sdkAppId, Callback: callbackView(app.settings), Commands: COMMAND_NAMES };
}

/**
 * Writes a partial callback section (fields left out keep their value). Resolves once this
 * node serves the result, so the caller's next request, and the next callback sent from this
 * node, already use it; other nodes follow on the same `apps.changed` broadcast.
 */
export async function writeCallback(
  broker: ServiceBroker,
  directory: AppDirectory,
  sdkAppId: number,
  patch: Record<string, unknown>,
  requestId: string,
): Promise<App> {
  const app = await broker.call<App, object>('apps.update', { sdkAppId, settings: { callback: patch } }, { requestID: requestId });
  const want = JSON.stringify(callbackSettings(app.settings));
  const deadline = Date.now() + SERVED_WAIT_MS;
  while (JSON.stringify(callbackSettings(directory.get(sdkAppId)?.settings ?? {})) !== want) {
    if (Date.now() > deadline) {
      // Stored all the same; only this node's copy lags (a broker under heavy load).
      broker.logger.warn(`console request ${requestId}: app ${sdkAppId}'s new callback settings not yet served here after ${SERVED_WAIT_MS} ms`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return app;
}
