/**
 * The administrator check of the REST API (sdkappid, identifier, usersig), kept in one place
 * so that `/v4/…` and the console API (services/console/) refuse the same callers with the
 * same Tencent codes through the same node-local UserSig verifier and its cache.
 */
import type { App } from '../../actors/apps';
import type { AppDirectory } from '../apps/registry';
import type { SigCheck, SigVerifier } from '../auth/verifier';

/** REST common codes (Tencent 60xxx). */
export const REST = {
  BAD_URL: 60002,
  BAD_JSON: 60003,
  BAD_ACCOUNT: 60004,
  BAD_SDKAPPID: 60006,
  TOO_FREQUENT: 60007,
  BAD_RESOURCE: 60009,
  NEED_ADMIN: 60010,
  NO_SDKAPPID: 60012,
  EMPTY_SIG: 70002,
} as const;

/** 70020: SDKAppID not found. */
export const APP_NOT_FOUND = 70020;

/** A request refused before it reached a command: answered with this code and text. */
export class Refusal {
  constructor(
    readonly code: number,
    readonly info: string,
  ) {}
}

export interface AdminCredentials {
  sdkAppId: number;
  identifier: string;
  usersig: string;
}

export interface Admin {
  app: App;
  identifier: string;
  /** When the UserSig stops being valid, unix seconds. */
  sigExpiresAt: number;
}

/**
 * The three credentials as strings (REST: query parameters), checked in the order a caller
 * fixes them; `from` names where they were looked for, for the error text.
 */
export function adminCredentials(fields: Record<string, unknown>, from: string): AdminCredentials {
  const { sdkappid, identifier, usersig } = fields;
  if (sdkappid === undefined || sdkappid === '') throw new Refusal(REST.NO_SDKAPPID, `sdkappid is missing from ${from}`);
  if (typeof sdkappid !== 'string' || !/^\d{1,10}$/.test(sdkappid)) throw new Refusal(REST.BAD_SDKAPPID, 'sdkappid must be a number');
  if (typeof identifier !== 'string' || identifier === '') throw new Refusal(REST.BAD_ACCOUNT, `identifier is missing from ${from}`);
  if (usersig === undefined || usersig === '') throw new Refusal(REST.EMPTY_SIG, `usersig is missing from ${from}`);
  if (typeof usersig !== 'string') throw new Refusal(REST.BAD_ACCOUNT, 'usersig must appear once');
  return { sdkAppId: Number(sdkappid), identifier, usersig };
}

/** The app and administrator the credentials prove, or a Refusal with Tencent's code. */
export async function authenticateAdmin(apps: AppDirectory, verifier: SigVerifier, creds: AdminCredentials): Promise<Admin> {
  return knownAdmin(apps, verifier, creds) ?? admitted(adminApp(apps, creds), creds, await verifier.verify(creds.sdkAppId, creds.identifier, creds.usersig));
}

/**
 * The same answer without waiting when the verifier has the sig cached (every call of an app
 * backend but its first): the REST hot path then has no await before the body; undefined when
 * the sig must be verified (`authenticateAdmin`).
 */
export function knownAdmin(apps: AppDirectory, verifier: SigVerifier, creds: AdminCredentials): Admin | undefined {
  const app = adminApp(apps, creds);
  const sig = verifier.cached(creds.sdkAppId, creds.identifier, creds.usersig);
  return sig === undefined ? undefined : admitted(app, creds, sig);
}

function adminApp(apps: AppDirectory, creds: AdminCredentials): App {
  const app = apps.get(creds.sdkAppId);
  if (!app) throw new Refusal(APP_NOT_FOUND, `SDKAppID ${creds.sdkAppId} not found`);
  if (!app.admins.includes(creds.identifier)) throw new Refusal(REST.NEED_ADMIN, `${creds.identifier} is not an administrator of this app`);
  return app;
}

function admitted(app: App, creds: AdminCredentials, sig: SigCheck): Admin {
  if (!sig.ok) throw new Refusal(sig.code, sig.reason);
  return { app, identifier: creds.identifier, sigExpiresAt: sig.expiresAt };
}
