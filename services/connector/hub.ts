/** What the connector's parts share on one node. */
import type { LoggerInstance, ServiceBroker } from 'moleculer';
import type { AppDirectory } from '../apps/registry';
import type { SigVerifier } from '../auth/verifier';
import type { CommandTable } from '../commands/commands';
import type { Gateway } from './gateway';
import type { RoomIndex } from './rooms';

export interface Hub {
  broker: ServiceBroker;
  gateway: Gateway;
  /** Live rooms (AVChatRoom) of this node's sessions. */
  rooms: RoomIndex;
  apps: AppDirectory;
  verifier: SigVerifier;
  commands: CommandTable;
  logger: LoggerInstance;
  /** Seconds between the SDK's wshello frames (login reply). */
  helloIntervalSec: number;
}

/** Tencent codes the gateway answers with. */
export const CODES = {
  /** Native IMSDK's "not logged in": a command before wslogin. */
  NOT_LOGGED_IN: 6014,
  /** A wshello from a session that was kicked: carries KickType. */
  KICKED: 1002,
  /** Unknown command (REST's code for an unknown service/command). */
  UNKNOWN_COMMAND: 60009,
  /** A command only app administrators may run (REST's code). */
  ADMIN_ONLY: 60010,
  /** Too many requests in flight on one socket (REST's rate code). */
  TOO_FREQUENT: 60007,
  /** Login already in progress on this socket (the SDK's own code for a repeated login). */
  REPEAT_LOGIN: 2025,
  /** SDKAppID not found (REST's code). */
  APP_NOT_FOUND: 70020,
  /** No credential in the wslogin head. */
  EMPTY_SIG: 70002,
  /** head.tinyid does not belong to the A2Key's user. */
  BAD_TINYID: 70003,
  INTERNAL: 70500,
} as const;
