/**
 * Login and logout of a socket: credential check (UserSig as over REST, or the A2Key of an
 * earlier login after a reconnect), the device in the presence directory under the app's
 * multi-device policy, kicks of the devices that must give way, and leaving again.
 */
import { loginSettings } from '../../actors/apps/settings/app-settings';
import { isValidUserId } from '../../actors/apps/settings/limits';
import { UserSigErrorCode } from '../auth/usersig';
import type { PresenceLeave, PresenceLogin, PresenceLoginReply } from '../presence/client';
import type { KickType } from '../presence/policy';
import type { Frame } from './frames';
import { CODES, type Hub } from './hub';
import { issueA2, newInstId, tinyIdOf, verifyA2 } from './identity';
import { emptyReply, errorReply, kickPush, loginReply, PUSH_SERVCMD, type Status } from './replies';
import { encodeFrame } from './frames';
import { reportRoomStates } from './room-states';
import type { Session } from './session';
import { accountsOf } from '../accounts/client';
import { readerAuthKey } from '../media/client';

export interface KickParams {
  app: number;
  userId: string;
  instId: string;
  session: number;
  /** 0: close quietly (the same SDK instance logged in again elsewhere). */
  kickType: KickType | 0;
  newInst?: { InstId: number; Platform: number };
}

type Credential = { ok: true; userId: string; expiresAt: number } | { ok: false; code: number; info: string };

export async function login(hub: Hub, s: Session, frame: Frame): Promise<object> {
  if (s.loggingIn) return errorReply(CODES.REPEAT_LOGIN, 'a login is already in progress on this connection');
  const app = hub.apps.get(s.sdkAppId);
  if (!app) return errorReply(CODES.APP_NOT_FOUND, `SDKAppID ${s.sdkAppId} not found`);
  s.loggingIn = true;
  try {
    const cred = await credential(hub, s, frame);
    if (!cred.ok) return errorReply(cred.code, cred.info);
    const { userId, expiresAt } = cred;
    if (s.user) await leave(hub, s, 'logout');
    // Tencent creates an account at its first SDK login; importing an existing one changes nothing.
    await accountsOf(hub.broker).call(s.sdkAppId, userId, { op: 'import', now: Date.now() });
    const session = newInstId();
    const now = Date.now();
    const device = { instId: s.instId, session, platform: s.device.platform, status: 'Online' as const, nodeID: hub.broker.nodeID, instance: hub.broker.instanceID, since: now, expiresAt: 0, push: false };
    const params: PresenceLogin = { app: s.sdkAppId, userId, device, login: loginSettings(app.settings) };
    const result = await hub.broker.call<PresenceLoginReply, PresenceLogin>('presence.login', params);
    s.user = { userId, session, expiresAt };
    s.kicked = 0;
    if (s.closed) {
      await leave(hub, s, 'away');
      return emptyReply();
    }
    hub.gateway.register(s);
    const newInst = { InstId: session, Platform: s.device.code };
    const kicks: { d: (typeof result.evicted)[number]['device']; kickType: KickType | 0 }[] = result.evicted.map(({ device: d, kickType }) => ({ d, kickType }));
    if (result.replaced && result.replaced.session !== session) kicks.push({ d: result.replaced, kickType: 0 });
    await Promise.all(
      kicks.map(({ d, kickType }) =>
        d.status === 'Online'
          ? hub.broker
              .call('connector.kick', { app: s.sdkAppId, userId, instId: d.instId, session: d.session, kickType, newInst } satisfies KickParams, { nodeID: d.nodeID })
              .catch((err) => hub.logger.warn(`kick of ${userId}/${d.instId} on ${d.nodeID} failed:`, err))
          : undefined,
      ),
    );
    // After the kicks: a replaced session of this same device parks its live rooms for this one.
    if (s.user && !s.closed) reportRoomStates(hub.broker, userId, hub.rooms.restore(s, userId, now), 'Online');
    const a2Key = issueA2(app.secretKey, s.sdkAppId, { userId, instId: session, issuedAt: Math.floor(now / 1000), expiresAt });
    const richMsgAuthKey = readerAuthKey(hub.broker, s.sdkAppId, userId, expiresAt);
    return loginReply({ TinyId: tinyIdOf(s.sdkAppId, userId), A2Key: a2Key, InstId: session, HelloInterval: hub.helloIntervalSec, TimeStamp: Math.floor(now / 1000), ...(richMsgAuthKey ? { RichMsgAuthKey: richMsgAuthKey } : {}) });
  } finally {
    s.loggingIn = false;
  }
}

async function credential(hub: Hub, s: Session, { head }: Frame): Promise<Credential> {
  if (head.identifier && head.usersig) {
    if (!isValidUserId(head.identifier)) return { ok: false, code: UserSigErrorCode.IDENTIFIER_MISMATCH, info: 'invalid UserID' };
    const check = await hub.verifier.verify(s.sdkAppId, head.identifier, head.usersig);
    return check.ok ? { ok: true, userId: head.identifier, expiresAt: check.expiresAt } : { ok: false, code: check.code, info: check.reason };
  }
  if (!head.a2) return { ok: false, code: CODES.EMPTY_SIG, info: 'wslogin needs identifier and usersig, or a2 and tinyid' };
  const app = hub.apps.get(s.sdkAppId)!;
  const check = verifyA2(app.secretKey, s.sdkAppId, head.a2, Math.floor(Date.now() / 1000));
  if (!check.ok) return { ok: false, code: check.code, info: check.reason };
  const { userId, issuedAt, expiresAt } = check.claims;
  if (head.tinyid !== undefined && head.tinyid !== tinyIdOf(s.sdkAppId, userId)) return { ok: false, code: CODES.BAD_TINYID, info: 'tinyid does not match the A2Key' };
  const user = await accountsOf(hub.broker).get(s.sdkAppId, userId);
  // Same rule as for UserSigs: a kick voids tickets issued before it (one-second resolution).
  if (!user.imported || issuedAt < Math.floor(user.kickedAt / 1000)) {
    return { ok: false, code: UserSigErrorCode.EXPIRED, info: 'the session ended with a kick; log in with a new UserSig' };
  }
  return { ok: true, userId, expiresAt };
}

/** Ends the session's login: logout → Offline; away (connection lost) → PushOnline or Offline. */
export async function leave(hub: Hub, s: Session, mode: PresenceLeave['mode']): Promise<void> {
  const user = s.user;
  if (!user) return;
  hub.gateway.unregister(s);
  reportRoomStates(hub.broker, user.userId, hub.rooms.drop(s, user.userId, mode === 'away', Date.now()), 'Offline');
  s.user = undefined;
  const params: PresenceLeave = { app: s.sdkAppId, userId: user.userId, instId: s.instId, session: user.session, mode };
  await hub.broker.call('presence.leave', params);
}

export async function logout(hub: Hub, s: Session): Promise<Status> {
  await leave(hub, s, 'logout');
  return emptyReply();
}

/** A device that must give way (policy) or a replaced session: the presence record is already gone. */
export function kickLocal(hub: Hub, p: KickParams): boolean {
  const s = hub.gateway.sessionsOf(p.app, p.userId).find((x) => x.instId === p.instId && x.user?.session === p.session);
  if (!s) return false;
  hub.gateway.unregister(s);
  reportRoomStates(hub.broker, p.userId, hub.rooms.drop(s, p.userId, p.kickType === 0, Date.now()), 'Offline');
  s.user = undefined;
  if (p.kickType === 0) {
    s.closed = true;
    s.ws.close(4000, 'logged in again from the same SDK instance');
    return true;
  }
  s.kicked = p.kickType;
  hub.gateway.send(s, encodeFrame({ servcmd: PUSH_SERVCMD }, kickPush(p.kickType, p.newInst)));
  return true;
}

/** REST kick or account deletion: every local device of the user gets KickType 3 and is closed. */
export async function restKickLocal(hub: Hub, app: number, userId: string): Promise<number> {
  const sessions = hub.gateway.sessionsOf(app, userId);
  await Promise.all(
    sessions.map(async (s) => {
      hub.gateway.send(s, encodeFrame({ servcmd: PUSH_SERVCMD }, kickPush(3)));
      await leave(hub, s, 'logout').catch((err) => hub.logger.warn(`presence update after kick of ${userId} failed:`, err));
      s.kicked = 3;
      s.ws.close(4001, 'kicked by the app');
    }),
  );
  return sessions.length;
}
