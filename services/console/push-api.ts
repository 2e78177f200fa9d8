/**
 * The console's push credentials: APNs, FCM and Web Push of the signed-in app (the `push`
 * section of the app's settings, actors/apps/settings/push.ts; docs/push.md), written through
 * `apps.update`, so a key is checked exactly as `parley apps set` has it checked (an APNs key
 * must be ES256, a service account must carry an RSA key…) and a refusal stores nothing.
 *
 * Secrets are write-only, like the callback token: the view says whether each is set and gives
 * a short fingerprint (the first 12 hex digits of its SHA-256) to tell which key is installed,
 * never the key. A write names a provider's fields; a secret left out (or '') keeps the one
 * stored, so changing a bundle ID does not mean pasting the key again. `null` for a provider
 * removes its credentials (that provider's pushes stop).
 */
import { createHash } from 'node:crypto';
import type { ServiceBroker } from 'moleculer';
import type { App } from '../../actors/apps';
import { apnsOn, DEFAULT_PUSH, fcmOn, pushSettings, webPushOn, type FcmServiceAccount, type PushSettings } from '../../actors/apps/settings/push';
import type { AppDirectory } from '../apps/registry';
import { CommandRefused, type Answer } from './commands-api';

const INVALID = 70402;
const SERVED_WAIT_MS = 3000;
const PROVIDERS = ['apns', 'fcm', 'webpush'] as const;
type Provider = (typeof PROVIDERS)[number];

/** Which fields a write may name per provider; the secret one last. */
const FIELDS: Record<Provider, string[]> = {
  apns: ['teamId', 'keyId', 'bundleId', 'production', 'endpoint', 'key'],
  fcm: ['endpoint', 'serviceAccount'],
  webpush: ['publicKey', 'subject', 'privateKey'],
};

const fingerprint = (secret: string) => (secret === '' ? '' : createHash('sha256').update(secret).digest('hex').slice(0, 12));

/** The section as the page shows it: everything but the private keys, which are a set flag and a fingerprint. */
export function pushView(app: App): Answer {
  const p = pushSettings(app.settings);
  const sa = p.fcm.serviceAccount;
  return {
    SdkAppId: app.sdkAppId,
    Push: {
      apns: { on: apnsOn(p), teamId: p.apns.teamId, keyId: p.apns.keyId, bundleId: p.apns.bundleId, production: p.apns.production, endpoint: p.apns.endpoint, keySet: p.apns.key !== '', keyFingerprint: fingerprint(p.apns.key) },
      fcm: { on: fcmOn(p), projectId: sa?.project_id ?? '', clientEmail: sa?.client_email ?? '', endpoint: p.fcm.endpoint, keySet: !!sa, keyFingerprint: fingerprint(sa?.private_key ?? '') },
      webpush: { on: webPushOn(p), publicKey: p.webpush.publicKey, subject: p.webpush.subject, privateKeySet: p.webpush.privateKey !== '', privateKeyFingerprint: fingerprint(p.webpush.privateKey) },
    },
  };
}

/** PATCH push: `{ apns?, fcm?, webpush? }`, each an object of fields to change or null to remove. */
export async function writePush(broker: ServiceBroker, directory: AppDirectory, app: App, body: Answer, requestId: string): Promise<App> {
  const current = pushSettings(app.settings);
  const patch: Partial<Record<Provider, unknown>> = {};
  for (const [provider, fields] of Object.entries(body)) {
    if (!(PROVIDERS as readonly string[]).includes(provider)) throw new CommandRefused(INVALID, `push has no provider ${provider} (apns, fcm, webpush)`);
    patch[provider as Provider] = merged(provider as Provider, current, fields);
  }
  const updated = await broker.call<App, object>('apps.update', { sdkAppId: app.sdkAppId, settings: { push: patch } }, { requestID: requestId });
  const want = JSON.stringify(pushSettings(updated.settings));
  const deadline = Date.now() + SERVED_WAIT_MS;
  while (JSON.stringify(pushSettings(directory.get(app.sdkAppId)?.settings ?? {})) !== want) {
    if (Date.now() > deadline) {
      broker.logger.warn(`console request ${requestId}: app ${app.sdkAppId}'s new push settings not yet served here after ${SERVED_WAIT_MS} ms`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return updated;
}

/** A provider's whole object after the write (settings merge one level deep: push.ts). */
function merged(provider: Provider, current: PushSettings, fields: unknown): unknown {
  if (fields === null) return DEFAULT_PUSH[provider]; // removed: the provider's defaults (off)
  if (typeof fields !== 'object' || Array.isArray(fields)) throw new CommandRefused(INVALID, `push.${provider} must be an object of fields, or null to remove it`);
  const given = fields as Answer;
  const foreign = Object.keys(given).filter((f) => !FIELDS[provider].includes(f));
  if (foreign.length > 0) throw new CommandRefused(INVALID, `push.${provider} has no field ${foreign.join(', ')} (${FIELDS[provider].join(', ')})`);
  // A secret left out or empty keeps the stored one: the page never has it to send back.
  const keep = (name: string) => given[name] === undefined || given[name] === '';
  switch (provider) {
    case 'apns':
      return { ...current.apns, ...given, ...(keep('key') ? { key: current.apns.key } : {}) };
    case 'webpush':
      return { ...current.webpush, ...given, ...(keep('privateKey') ? { privateKey: current.webpush.privateKey } : {}) };
    case 'fcm':
      return { ...current.fcm, ...given, serviceAccount: keep('serviceAccount') ? current.fcm.serviceAccount : serviceAccount(given.serviceAccount) };
  }
}

/** The service-account JSON as pasted (a string) or as an object. */
function serviceAccount(value: unknown): FcmServiceAccount {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new CommandRefused(INVALID, 'push.fcm.serviceAccount is not JSON (paste the service-account file as downloaded from Firebase)');
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CommandRefused(INVALID, 'push.fcm.serviceAccount must be the JSON object of a service-account file');
  return parsed as FcmServiceAccount;
}
