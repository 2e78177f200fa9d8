/**
 * How other parts use the media context: the gateway's media routes (./http.ts) record and
 * forget files in the app's ledger through the media service, and read the signing key and URL
 * lifetimes every node derives alike from configuration and the app directory.
 */
import type { ServiceBroker } from 'moleculer';
import type { MediaReply } from '../../actors/media';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { appDirectory } from '../apps/registry';
import type { Ledger, StoredFile } from './ingest';
import { mediaKey, readerKey } from './signing';

import { MEDIA_SERVICE } from './service-name';

export { MEDIA_SERVICE };
export { c2cConversation, groupConversation, holdingMedia, messageRef, release as releaseMedia } from './references';

/** The HMAC key of an app's media URLs, or undefined for an app this node does not know. */
export function signingKeys(broker: ServiceBroker): (app: number) => Buffer | undefined {
  const { config } = runtimeOf(broker);
  const apps = appDirectory(broker);
  return (app) => {
    const secret = config.media.secret ?? apps.get(app)?.secretKey;
    return secret ? mediaKey(secret, app) : undefined;
  };
}

/** Download URLs live as long as the messages that carry them: the app's roaming retention. */
export function downloadExpiry(broker: ServiceBroker, app: number, nowMs = Date.now()): number {
  const days = appDirectory(broker).get(app)?.settings.messages.roamingDays ?? 7;
  return Math.floor(nowMs / 1000) + days * 86_400;
}

export function ledgerOf(broker: ServiceBroker): Ledger {
  return {
    async record(app: number, file: StoredFile, bytes: number) {
      await broker.call(`${MEDIA_SERVICE}.record`, { app, fileKey: file.fileKey, bytes, kind: file.kind, owner: file.owner, at: file.at });
    },
    async forget(app: number, fileKeys: string[], reason: string) {
      await broker.call(`${MEDIA_SERVICE}.forget`, { app, fileKeys, reason });
    },
  };
}

export function mediaUsage(broker: ServiceBroker, app: number): Promise<MediaReply> {
  return broker.call(`${MEDIA_SERVICE}.usage`, { app });
}

/** The login's RichMsgAuthKey: names the user to the membership check of downloads (./readers.ts). */
export function readerAuthKey(broker: ServiceBroker, app: number, user: string, expiresSec: number): string | undefined {
  const key = signingKeys(broker)(app);
  return key ? readerKey(key, app, user, expiresSec) : undefined;
}
