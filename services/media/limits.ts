/**
 * The media limits an upload meets: the app's own (its settings' media section), the node's
 * PARLEY_MEDIA_MAX_*_MB and PARLEY_MEDIA_QUOTA_MB where it set none (actors/apps/settings/media.ts).
 * Read from the node's app directory, so a change through apps.update applies to the next upload.
 */
import type { ServiceBroker } from 'moleculer';
import { mediaLimits, type MediaLimits } from '../../actors/apps/settings/media';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { appDirectory } from '../apps/registry';

export function limitsOf(broker: ServiceBroker, app: number): MediaLimits {
  return mediaLimits(appDirectory(broker).get(app)?.settings ?? {}, runtimeOf(broker).config.media);
}
