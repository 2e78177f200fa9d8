/**
 * Routes each frame: the session commands of the protocol itself (heartbeats, login, logout,
 * SDK configuration, stats) are served here; every other servcmd `svc.cmd` is the Tencent
 * command `svc/cmd` of the shared command table, run through dispatchCommand() with the
 * logged-in user as caller — the same action a REST call reaches.
 */
import type { PresenceRegister } from '../presence/client';
import { dispatchCommand } from '../commands/dispatch';
import { registerDevice } from '../pushdevices/client';
import { newRequestId } from '../commands/envelope';
import { encodeFrame, parseFrame, type Frame, type FrameHead } from './frames';
import { admitFrame, FRAMES_PER_SEC } from './flood';
import { CODES, type Hub } from './hub';
import { login, logout } from './login';
import { emptyReply, errorReply, okReply, purchaseBitsReply, sdkConfigReply } from './replies';
import type { Session } from './session';

type Reply = object | null;

interface Builtin {
  /** Needs a logged-in session. */
  auth: boolean;
  run(hub: Hub, s: Session, frame: Frame): Reply | Promise<Reply>;
}

/** How long the SDK may keep its configuration and purchase bits before asking again, seconds. */
const CONFIG_TTL_SEC = 3600;
/** Requests one socket may have in flight; the SDK's start-up burst is about a dozen. */
const MAX_IN_FLIGHT = 64;
/** Head servcmd of an error that cannot be matched to a request (no usable head). */
export const FRAME_ERROR_SERVCMD = 'parley.frame_error';

const BUILTINS: Record<string, Builtin> = {
  'heartbeat.alive': { auth: false, run: () => emptyReply() },
  'im_open_status.wslogin': { auth: false, run: login },
  'im_open_status.wslogout': { auth: false, run: (hub, s) => logout(hub, s) },
  'im_open_status.wshello': {
    auth: false,
    run: (_hub, s) =>
      s.user ? emptyReply() : s.kicked ? errorReply(CODES.KICKED, 'this session was kicked', { KickType: s.kicked }) : errorReply(CODES.NOT_LOGGED_IN, 'not logged in'),
  },
  'im_open_status.ws_stat_settoken': { auth: true, run: registerPush },
  'im_open_status.ws_stat_background': { auth: true, run: () => emptyReply() },
  'im_open_status.ws_stat_foreground': { auth: true, run: () => emptyReply() },
  // Client-side quality and event logs: accepted and dropped (the statistics service reads server events).
  'imopenstat.tim_web_report_v2': { auth: false, run: () => emptyReply() },
  'im_sdk_config_mgr.fetch_config': {
    auth: true,
    // No server-side SDK configuration yet: an empty document at version 1.
    run: (_hub, s) => sdkConfigReply(s.sdkAppId, {}, 1, CONFIG_TTL_SEC),
  },
  'im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2': { auth: true, run: () => purchaseBitsReply(CONFIG_TTL_SEC) },
  // The SDK does not expect an answer to its push acknowledgements.
  'openim.ws_msg_push_ack': { auth: true, run: () => null },
};

export async function onFrame(hub: Hub, s: Session, data: Buffer): Promise<void> {
  const parsed = parseFrame(data);
  if (!parsed.ok) return reply(hub, s, parsed.head ?? { servcmd: FRAME_ERROR_SERVCMD }, errorReply(parsed.code, parsed.info));
  const { head } = parsed.frame;
  if (s.inFlight >= MAX_IN_FLIGHT) return reply(hub, s, head, errorReply(CODES.TOO_FREQUENT, `more than ${MAX_IN_FLIGHT} requests in flight`));
  if (!admitFrame(s)) return reply(hub, s, head, errorReply(CODES.TOO_FREQUENT, `more than ${FRAMES_PER_SEC} frames per second`));
  s.inFlight++;
  try {
    const answer = await route(hub, s, parsed.frame);
    if (answer) reply(hub, s, head, answer);
  } catch (err) {
    const requestId = newRequestId();
    hub.logger.error(`frame ${head.servcmd} (request ${requestId}) failed:`, err);
    reply(hub, s, head, errorReply(CODES.INTERNAL, `internal error (request ${requestId})`));
  } finally {
    s.inFlight--;
  }
}

async function route(hub: Hub, s: Session, frame: Frame): Promise<Reply> {
  const builtin = BUILTINS[frame.head.servcmd];
  if (builtin) {
    count(hub, frame.head.servcmd);
    if (builtin.auth && !s.user) return errorReply(CODES.NOT_LOGGED_IN, 'log in first (im_open_status.wslogin)');
    return builtin.run(hub, s, frame);
  }
  const command = frame.head.servcmd.replace('.', '/');
  const entry = hub.commands.get(command);
  if (!entry) return errorReply(CODES.UNKNOWN_COMMAND, `unknown command ${frame.head.servcmd}`);
  count(hub, frame.head.servcmd);
  if (!s.user) return errorReply(CODES.NOT_LOGGED_IN, 'log in first (im_open_status.wslogin)');
  if (!entry.user) return errorReply(CODES.ADMIN_ONLY, `${command} is for app administrators (REST)`);
  const outcome = await dispatchCommand(hub.broker, entry, s.sdkAppId, { kind: 'user', id: s.user.userId, instId: s.instId, ip: s.ip }, frame.body, newRequestId());
  return outcome.ok ? okReply(outcome.result ?? {}) : errorReply(outcome.code, outcome.info, outcome.extra);
}

function count(hub: Hub, servcmd: string): void {
  hub.gateway.served.set(servcmd, (hub.gateway.served.get(servcmd) ?? 0) + 1);
}

function reply(hub: Hub, s: Session, head: FrameHead, body: object): void {
  hub.gateway.send(s, encodeFrame({ servcmd: head.servcmd, seq: head.seq }, body));
}

/** A device that gave a push token stays reachable (PushOnline) after its connection ends. */
async function registerPush(hub: Hub, s: Session, { body }: Frame): Promise<Reply> {
  const token = body.VarToken ?? body.TokenID;
  const push = typeof token === 'string' ? token.length > 0 : typeof token === 'number';
  const params: PresenceRegister = { app: s.sdkAppId, userId: s.user!.userId, instId: s.instId, session: s.user!.session, push };
  await hub.broker.call('presence.register', params);
  // The token itself goes to the user's push registration (services/push); a failure there must not fail the frame.
  await registerDevice(hub.broker, s.sdkAppId, s.user!.userId, s.instId, s.device.platform, body).catch((err: Error) => hub.logger.warn(`push token of ${s.user?.userId}/${s.instId} not registered: ${err.message}`));
  return emptyReply();
}

