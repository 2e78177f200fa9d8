/**
 * UserSig checks for REST and WebSocket logins, cached so that a sig costs one Map lookup on
 * repeat. A kick voids the sigs a user was issued before it: the cache forgets the user's
 * entries when told (`forgetUser`), and a fresh check compares the sig's issue time with the
 * user's kick instant (TLS.time has one-second resolution, so a sig issued within the same
 * second as the kick stays valid: an app may kick and re-issue at once).
 */
import { UserSigErrorCode, verifyUserSig } from './usersig';

/** Where the verifier finds an app's secret key (the node's app directory). */
export interface AppKeys {
  get(sdkAppId: number): { secretKey: string } | undefined;
}

export type SigCheck = { ok: true; expiresAt: number } | { ok: false; code: number; reason: string };

interface Entry {
  expiresAt: number;
  issuedAt: number;
}

/** 70020: SDKAppID not found. */
export const APP_NOT_FOUND = 70020;

export class SigVerifier {
  private readonly cache = new Map<string, Entry>();
  private readonly byUser = new Map<string, Set<string>>();

  constructor(
    private readonly apps: AppKeys,
    /** The instant (ms) the user was last kicked, 0 if never. */
    private readonly kickedAt: (sdkAppId: number, identifier: string) => Promise<number>,
    private readonly maxEntries = 100_000,
  ) {}

  async verify(sdkAppId: number, identifier: string, sig: string, nowMs = Date.now()): Promise<SigCheck> {
    const now = Math.floor(nowMs / 1000);
    const key = `${sdkAppId}\u0000${identifier}\u0000${sig}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) {
      if (now <= hit.expiresAt) return { ok: true, expiresAt: hit.expiresAt };
      this.cache.delete(key);
      return { ok: false, code: UserSigErrorCode.EXPIRED, reason: 'UserSig expired' };
    }
    const app = this.apps.get(sdkAppId);
    if (!app) return { ok: false, code: APP_NOT_FOUND, reason: `SDKAppID ${sdkAppId} not found` };
    const result = verifyUserSig(sig, { sdkAppId, identifier, secretKey: app.secretKey, now });
    if (!result.ok) return result;
    const kickedAtSec = Math.floor((await this.kickedAt(sdkAppId, identifier)) / 1000);
    if (result.time < kickedAtSec) {
      return { ok: false, code: UserSigErrorCode.EXPIRED, reason: 'UserSig was issued before the user was kicked' };
    }
    this.remember(key, sdkAppId, identifier, { expiresAt: result.expiresAt, issuedAt: result.time });
    return { ok: true, expiresAt: result.expiresAt };
  }

  /** After a kick or an account deletion: every cached sig of the user is checked afresh. */
  forgetUser(sdkAppId: number, identifier: string): void {
    const userKey = `${sdkAppId}\u0000${identifier}`;
    for (const key of this.byUser.get(userKey) ?? []) this.cache.delete(key);
    this.byUser.delete(userKey);
  }

  /** After an app's key changed: forget everything (rare, and simpler than an index per app). */
  forgetAll(): void {
    this.cache.clear();
    this.byUser.clear();
  }

  private remember(key: string, sdkAppId: number, identifier: string, entry: Entry): void {
    if (this.cache.size >= this.maxEntries) {
      const oldest = this.cache.keys().next().value as string;
      this.cache.delete(oldest);
      const [app, id] = oldest.split('\u0000');
      this.byUser.get(`${app}\u0000${id}`)?.delete(oldest);
    }
    this.cache.set(key, entry);
    const userKey = `${sdkAppId}\u0000${identifier}`;
    let keys = this.byUser.get(userKey);
    if (!keys) this.byUser.set(userKey, (keys = new Set()));
    keys.add(key);
  }
}
