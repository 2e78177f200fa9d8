/**
 * The connector service's own types, for the files split out of connector.service.ts: they take them
 * from here, so no file imports the service it is part of.
 */
import type { Service } from 'moleculer';
import type { DeliverOptions, LocalPusher } from './delivery';
import type { Gateway } from './gateway';
import type { Hub } from './hub';
import type { RoomIndex } from './rooms';

export interface DeliverParams extends DeliverOptions {
  app: number;
  userId: string;
  servcmd: string;
  body: object;
}

export interface PushManyParams {
  app: number;
  userIds: string[];
  servcmd: string;
  body: object;
}

export interface ConnectorStats {
  nodeID: string;
  connections: number;
  loggedIn: number;
  accepted: number;
  slowDisconnects: number;
  idleDisconnects: number;
  pushed: number;
  /** Frames served per servcmd since start. */
  served: Record<string, number>;
}

export type ConnectorService = Service & LocalPusher & { hub: Hub; gateway: Gateway; rooms: RoomIndex; liveness?: NodeJS.Timeout };
