/**
 * UserSig checks for REST and WebSocket logins, cached so that a sig costs one Map lookup on
 * repeat. A kick voids the sigs a user was issued before it: the cache forgets the user's
 * entries when told (`forgetUser`), and a fresh check compares the sig's issue time with the
 * user's kick instant (TLS.time has one-second resolution, so a sig issued within the same
 * second as the kick stays valid: an app may kick and re-issue at once).
 *
 * What a cached answer still checks on every hit: the sig's expiry, the (app, identifier) it
 * was presented for, and that the app's secret key is still the one the HMAC was checked with.
 * The last is not left to `forgetAll` alone: on `apps.changed` the cache is cleared at once but
 * the app directory reloads asynchronously, so a request in between verified against the old
 * key and cached that answer; comparing the key on each hit closes that window, and any other
 * way a key might change without this node hearing of it.
 *
 * Why the cache is keyed by the sig alone: a sig's HMAC covers its app and identifier, so a sig
 * string is valid for at most one (app, identifier), and the entry says which; a hit for another
 * pair is treated as a miss and fails the full check. Keying by the sig spares building a
 * ~250-character key on every REST call (measured: the verifier was the REST path's third
 * allocation after the HTTP objects; docs/rest-api.md "What a REST call costs").
 */
import { UserSigErrorCode, verifyUserSig } from './usersig';

/** Where the verifier finds an app's secret key (the node's app directory). */
export interface AppKeys {
  get(sdkAppId: number): { secretKey: string } | undefined;
}

export type SigCheck = { ok: true; expiresAt: number } | { ok: false; code: number; reason: string };

interface Entry {
  sdkAppId: number;
  identifier: string;
  /** The key the HMAC was checked with: a hit counts only while the app still has it. */
  secretKey: string;
  /** The answer given on every hit, allocated once. */
  check: { ok: true; expiresAt: number };
}

/** 70020: SDKAppID not found. */
export const APP_NOT_FOUND = 70020;

const EXPIRED: SigCheck = Object.freeze({ ok: false, code: UserSigErrorCode.EXPIRED, reason: 'UserSig expired' });

export class SigVerifier {
  /** Verified sigs by the sig string. */
  private readonly cache = new Map<string, Entry>();
  /** The cached sigs of each `app\0identifier`, for forgetUser. */
  private readonly byUser = new Map<string, Set<string>>();

  constructor(
    private readonly apps: AppKeys,
    /** The instant (ms) the user was last kicked, 0 if never. */
    private readonly kickedAt: (sdkAppId: number, identifier: string) => Promise<number>,
    private readonly maxEntries = 100_000,
  ) {}

  /**
   * The answer for a sig this node has already verified, without waiting: valid, or expired
   * (and forgotten); undefined when it must be checked afresh (`verify`).
   */
  cached(sdkAppId: number, identifier: string, sig: string, nowMs = Date.now()): SigCheck | undefined {
    const hit = this.cache.get(sig);
    if (hit === undefined || hit.sdkAppId !== sdkAppId || hit.identifier !== identifier) return undefined;
    if (this.apps.get(sdkAppId)?.secretKey !== hit.secretKey) {
      this.drop(sig, hit);
      return undefined;
    }
    if (Math.floor(nowMs / 1000) <= hit.check.expiresAt) return hit.check;
    this.drop(sig, hit);
    return EXPIRED;
  }

  async verify(sdkAppId: number, identifier: string, sig: string, nowMs = Date.now()): Promise<SigCheck> {
    const known = this.cached(sdkAppId, identifier, sig, nowMs);
    if (known !== undefined) return known;
    const now = Math.floor(nowMs / 1000);
    const app = this.apps.get(sdkAppId);
    if (!app) return { ok: false, code: APP_NOT_FOUND, reason: `SDKAppID ${sdkAppId} not found` };
    const secretKey = app.secretKey;
    const result = verifyUserSig(sig, { sdkAppId, identifier, secretKey, now });
    if (!result.ok) return result;
    const kickedAtSec = Math.floor((await this.kickedAt(sdkAppId, identifier)) / 1000);
    if (result.time < kickedAtSec) {
      return { ok: false, code: UserSigErrorCode.EXPIRED, reason: 'UserSig was issued before the user was kicked' };
    }
    const check = { ok: true as const, expiresAt: result.expiresAt };
    this.remember(sig, { sdkAppId, identifier, secretKey, check });
    return check;
  }

  /** After a kick or an account deletion: every cached sig of the user is checked afresh. */
  forgetUser(sdkAppId: number, identifier: string): void {
    const userKey = userKeyOf(sdkAppId, identifier);
    for (const sig of this.byUser.get(userKey) ?? []) this.cache.delete(sig);
    this.byUser.delete(userKey);
  }

  /** After an app's key changed: forget everything (rare, and simpler than an index per app). */
  forgetAll(): void {
    this.cache.clear();
    this.byUser.clear();
  }

  private drop(sig: string, entry: Entry): void {
    this.cache.delete(sig);
    const userKey = userKeyOf(entry.sdkAppId, entry.identifier);
    const sigs = this.byUser.get(userKey);
    if (sigs?.delete(sig) && sigs.size === 0) this.byUser.delete(userKey);
  }

  private remember(sig: string, entry: Entry): void {
    const previous = this.cache.get(sig);
    if (previous) this.drop(sig, previous);
    if (this.cache.size >= this.maxEntries) {
      const [oldest, oldestEntry] = this.cache.entries().next().value as [string, Entry];
      this.drop(oldest, oldestEntry);
    }
    this.cache.set(sig, entry);
    const userKey = userKeyOf(entry.sdkAppId, entry.identifier);
    let sigs = this.byUser.get(userKey);
    if (!sigs) this.byUser.set(userKey, (sigs = new Set()));
    sigs.add(sig);
  }
}

const userKeyOf = (sdkAppId: number, identifier: string) => `${sdkAppId}\u0000${identifier}`;
