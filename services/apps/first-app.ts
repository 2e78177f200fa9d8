/**
 * The app created on a first start: from PARLEY_SDKAPPID / PARLEY_SECRET / PARLEY_ADMIN, or
 * generated, and then written to PARLEY_DATA/app.json (owner-only) with a ready admin UserSig.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { App } from '../../actors/apps';
import { genUserSig } from '../auth/usersig';

export const newSecretKey = () => crypto.randomBytes(32).toString('hex');

/** Tencent-looking SDKAppIDs: ten digits starting with 14. */
export const newSdkAppId = () => 1_400_000_000 + crypto.randomInt(0, 100_000_000);

const ADMIN_SIG_SECONDS = 180 * 24 * 3600;

export function writeCredentials(dataDir: string, app: App): string {
  const file = path.join(dataDir, 'app.json');
  const admin = app.admins[0];
  const adminUserSig = genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, identifier: admin, expireSeconds: ADMIN_SIG_SECONDS });
  fs.mkdirSync(dataDir, { recursive: true });
  const body = { sdkAppId: app.sdkAppId, secretKey: app.secretKey, admin, adminUserSig, adminUserSigExpiresInDays: 180 };
  fs.writeFileSync(file, JSON.stringify(body, null, 2) + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
