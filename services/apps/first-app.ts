/**
 * The app created on a first start: from PARLEY_SDKAPPID / PARLEY_SECRET / PARLEY_ADMIN, or
 * generated, and then written to PARLEY_DATA/app.json (owner-only) with a ready admin UserSig.
 *
 * Embedded, the data folder belongs to this node's SQLite log, so a new first app means a new
 * log and app.json is rewritten to match it. A cluster node's data folder is not its log's
 * (PostgreSQL is), and is often the folder an embedded server already uses: there app.json is
 * written only when absent, else the credentials go to app-<SDKAppID>.json beside it, so the
 * embedded app's credentials are never lost to a cluster's first start.
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

/** Writes the app's credentials and returns the file; `keepExisting` (cluster nodes) never replaces app.json. */
export function writeCredentials(dataDir: string, app: App, keepExisting = false): string {
  const admin = app.admins[0];
  const adminUserSig = genUserSig({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, identifier: admin, expireSeconds: ADMIN_SIG_SECONDS });
  fs.mkdirSync(dataDir, { recursive: true });
  const body = JSON.stringify({ sdkAppId: app.sdkAppId, secretKey: app.secretKey, admin, adminUserSig, adminUserSigExpiresInDays: 180 }, null, 2) + '\n';
  let file = path.join(dataDir, 'app.json');
  if (keepExisting) {
    try {
      // 'wx': created only if absent, atomically, so two nodes on one folder cannot both win.
      fs.writeFileSync(file, body, { mode: 0o600, flag: 'wx' });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      file = path.join(dataDir, `app-${app.sdkAppId}.json`);
    }
  }
  fs.writeFileSync(file, body, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  return file;
}
