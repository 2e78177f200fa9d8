/**
 * What other contexts use of presence: the params and payloads of its actions and bus event
 * (`user.status.changed`), and this node's directory for group fan-out.
 */
import type { ServiceBroker } from 'moleculer';
import type { AppSettings } from '../../actors/apps/settings/app-settings';
import type { DeviceRecord, NewDevice, PresenceDirectory } from './directory';
import type { Eviction } from './policy';

export interface PresenceQuery {
  app: number;
  users: string[];
}

export interface PresenceLogin {
  app: number;
  userId: string;
  device: NewDevice;
  login: AppSettings['login'];
}

export interface PresenceLoginReply {
  evicted: Eviction[];
  /** The previous session of the same SDK instance, if it was still recorded. */
  replaced?: DeviceRecord;
}

export interface PresenceLeave {
  app: number;
  userId: string;
  instId: string;
  session: number;
  /** logout: the user logged out or was kicked. away: the connection was lost. */
  mode: 'logout' | 'away';
}

export interface PresenceRegister {
  app: number;
  userId: string;
  instId: string;
  session: number;
  push: boolean;
}

export type UserStatus = 'Online' | 'PushOnline' | 'Offline';

/** Payload of `user.status.changed`. */
export interface UserStatusChanged {
  app: number;
  userId: string;
  platform: string;
  status: UserStatus;
  instId: string;
  at: number;
  /** Why the device changed (State.StateChange tells a logout from a lost link): logout, away (link lost), kicked (pushed out by another login), expired (push reachability ran out). */
  reason?: StatusReason;
  /** On a login: the platforms of the devices it pushed out. */
  kickedPlatforms?: string[];
}

export type StatusReason = 'logout' | 'away' | 'kicked' | 'expired';


/**
 * Where users' devices are, for pushing messages to them: this node's placement cache in a
 * cluster (placement-cache.ts), else this node's directory. Not for decisions that must see the
 * latest write (online status, offline push): those read presenceDirectoryOf.
 */
export function deliveryDirectoryOf(broker: ServiceBroker): Pick<PresenceDirectory, 'devicesOfMany' | 'placement'> | undefined {
  const presence = broker.getLocalService('presence') as { directory?: PresenceDirectory; placementCache?: Pick<PresenceDirectory, 'devicesOfMany' | 'placement'> } | undefined;
  return presence?.placementCache ?? presence?.directory;
}

/** This node's directory, when presence runs here (it does on every node of a Parley cluster). */
export function presenceDirectoryOf(broker: ServiceBroker): PresenceDirectory | undefined {
  return (broker.getLocalService('presence') as { directory?: PresenceDirectory } | undefined)?.directory;
}
