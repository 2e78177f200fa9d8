/**
 * Every reply and push the gateway sends, one typed builder per command (DESIGN.md: the SDK
 * crashes or loops on incomplete replies). Field names are the SDK's wire names
 * (docs/sdk-protocol.md); the SDK renames them itself.
 */
import type { KickType } from '../presence/policy';

export interface Status {
  ActionStatus: 'OK' | 'FAIL';
  ErrorCode: number;
  ErrorInfo: string;
}

export const OK: Status = { ActionStatus: 'OK', ErrorCode: 0, ErrorInfo: '' };

export const okReply = <T extends object>(fields: T): Status & T => ({ ...OK, ...fields });

export const errorReply = (code: number, info: string, extra?: object): Status => ({ ActionStatus: 'FAIL', ErrorCode: code, ErrorInfo: info, ...extra });

export interface LoginReply extends Status {
  /** Numeric string; the SDK refuses a login without it (2022). */
  TinyId: string;
  /** Session token the SDK re-logs in with after a reconnect; missing → 2023. */
  A2Key: string;
  /** Non-zero, or kicks and sig expiry never reach the app. */
  InstId: number;
  /** Seconds between wshello frames. */
  HelloInterval: number;
  /** Server clock, unix seconds: basis of getServerTime() and of MsgClientTime. */
  TimeStamp: number;
  /**
   * Feature bits, applied before SDK_READY. Without them the SDK refuses gated calls
   * (markConversation, conversation groups, reactions: 3122) until its own purchase-bits fetch,
   * about a second after login, has answered.
   */
  PurchaseBits?: string;
  /** Names the user to media downloads: the SDK appends it as authKey= to media URLs when it runs with fileDownloadProxy (docs/media.md). */
  RichMsgAuthKey?: string;
}

/** Every feature bit set (a self-hosted server sells no editions); the rightmost is bit 0. */
export const ALL_PURCHASE_BITS = '1'.repeat(64);

export const loginReply = (r: Omit<LoginReply, keyof Status>): LoginReply => okReply({ PurchaseBits: ALL_PURCHASE_BITS, ...r });

/** heartbeat.alive, wshello, wslogout, settoken, stats report: an empty success. */
export const emptyReply = (): Status => ({ ...OK });

/** The kick push (im_open_push.msg_push): KickType 1 multipleAccount, 2 multipleDevice, 3 REST kick. */
export function kickPush(kickType: KickType, newInst?: { InstId: number; Platform: number }) {
  return { EventArray: [{ Event: 9, C2cNotifyMsgArray: [{ KickoutMsgNotify: { KickType: kickType, NewInstInfo: newInst ?? {} } }] }] };
}

export const PUSH_SERVCMD = 'im_open_push.msg_push';

/** im_sdk_config_mgr.fetch_config: the app's SDK configuration (none yet: "{}"). */
export function sdkConfigReply(sdkAppId: number, config: object, version: number, expiresInSec: number) {
  return {
    int32_error_code: 0,
    str_error_message: '',
    str_json_config: JSON.stringify(config),
    uint32_expired_time: expiresInSec,
    uint32_sdkappid: sdkAppId,
    uint64_version: version,
  };
}

/** im_sdk_config_mgr.fetch_imsdk_purchase_bitsv2: every feature bit set (a self-hosted server sells no editions). */
export function purchaseBitsReply(expiresInSec: number) {
  return { int32_error_code: 0, str_error_message: '', str_purchase_bits: ALL_PURCHASE_BITS, uint32_expired_time: expiresInSec };
}
