/**
 * The console's settings page: the app's per-app settings that `parley apps set --settings`
 * changes, shown with their defaults filled in and written through `apps.update`, so the rules
 * are actors/apps/settings/'s and nothing here re-validates a value. The media section shows
 * each limit in MB, this node's PARLEY_MEDIA_* value where the app set none; a field written
 * as null goes back to the node's value. Two sections are left to
 * their own pages, whose secrets are write-only: `callback` (callback-api.ts) and `push`
 * (push-api.ts).
 */
import type { ServiceBroker } from 'moleculer';
import type { App } from '../../actors/apps';
import { DEFAULT_SETTINGS, LOGIN_POLICIES, type AppSettings } from '../../actors/apps/settings/app-settings';
import { mediaSection, type MediaLimits } from '../../actors/apps/settings/media';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { AppDirectory } from '../apps/registry';
import { CommandRefused, type Answer } from './commands-api';

/** The sections this page shows and writes, in the page's order. */
export const SECTIONS = ['login', 'messages', 'groups', 'relations', 'media', 'rateLimits'] as const;
type Section = (typeof SECTIONS)[number];

/** 70402: Tencent's "invalid parameter" for settings, as apps.update refuses them. */
const INVALID = 70402;
/** How long a write waits for this node's app directory to serve it (a broadcast away). */
const SERVED_WAIT_MS = 3000;

function sections(settings: Partial<AppSettings>, media: MediaLimits): Record<Section, unknown> {
  const out = {} as Record<Section, unknown>;
  for (const name of SECTIONS) out[name] = name === 'media' ? mediaSection(settings, media) : { ...DEFAULT_SETTINGS[name], ...(settings[name] as object | undefined) };
  return out;
}

export function settingsAnswer(broker: ServiceBroker, app: App): Answer {
  return { SdkAppId: app.sdkAppId, Settings: sections(app.settings, runtimeOf(broker).config.media), Choices: { 'login.policy': LOGIN_POLICIES } };
}

/**
 * Writes a partial settings object (sections, each with the fields changed). Resolves once
 * this node serves the result, so the next REST call through this node already obeys it.
 */
export async function writeSettings(broker: ServiceBroker, directory: AppDirectory, sdkAppId: number, patch: Answer, requestId: string): Promise<App> {
  const foreign = Object.keys(patch).filter((key) => !(SECTIONS as readonly string[]).includes(key));
  if (foreign.length > 0) throw new CommandRefused(INVALID, `the settings page writes ${SECTIONS.join(', ')}; not ${foreign.join(', ')} (callback and push: their own pages)`);
  const app = await broker.call<App, object>('apps.update', { sdkAppId, settings: patch }, { requestID: requestId });
  const media = runtimeOf(broker).config.media;
  const want = JSON.stringify(sections(app.settings, media));
  const deadline = Date.now() + SERVED_WAIT_MS;
  while (JSON.stringify(sections(directory.get(sdkAppId)?.settings ?? {}, media)) !== want) {
    if (Date.now() > deadline) {
      broker.logger.warn(`console request ${requestId}: app ${sdkAppId}'s new settings not yet served here after ${SERVED_WAIT_MS} ms`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return app;
}
