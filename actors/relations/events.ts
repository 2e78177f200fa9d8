/** Events of one user's relationship chain (schemas/relations/*.avsc). Times are unix seconds. */
export const FRIEND_ADDED = 'parley.relations.FriendAdded';
export const FRIEND_UPDATED = 'parley.relations.FriendUpdated';
export const FRIEND_DELETED = 'parley.relations.FriendDeleted';
export const PEER_EDGE_CHANGED = 'parley.relations.PeerEdgeChanged';
export const BLOCKED = 'parley.relations.Blocked';
export const UNBLOCKED = 'parley.relations.Unblocked';
export const LIST_CREATED = 'parley.relations.ListCreated';
export const LIST_DELETED = 'parley.relations.ListDeleted';
export const LIST_RENAMED = 'parley.relations.ListRenamed';
export const REQUEST_ADDED = 'parley.relations.RequestAdded';
export const REQUEST_REMOVED = 'parley.relations.RequestRemoved';
export const PENDENCY_READ = 'parley.relations.PendencyRead';
export const CHANGE_REPORTED = 'parley.relations.ChangeReported';

export type Direction = 'in' | 'out';
export type Edge = 'friend' | 'block';

export interface FriendData {
  remark: string;
  groups: string[];
  source: string;
  wording: string;
  addTime: number;
  remarkTime: number;
  custom: Record<string, string>;
}

export interface RequestData {
  source: string;
  wording: string;
  remark: string;
  group: string;
  at: number;
}

type Ev<T extends string, D> = { type: T; data: D };

export type FriendAdded = Ev<typeof FRIEND_ADDED, FriendData & { peer: string }>;
export type FriendUpdated = Ev<typeof FRIEND_UPDATED, { peer: string; remark: string | null; groups: string[] | null; custom: Record<string, string>; at: number }>;
export type FriendDeleted = Ev<typeof FRIEND_DELETED, { peer: string; at: number }>;
export type PeerEdgeChanged = Ev<typeof PEER_EDGE_CHANGED, { peer: string; edge: Edge; present: boolean; at: number }>;
export type Blocked = Ev<typeof BLOCKED, { peer: string; at: number }>;
export type Unblocked = Ev<typeof UNBLOCKED, { peer: string; at: number }>;
export type ListCreated = Ev<typeof LIST_CREATED, { name: string; at: number }>;
export type ListDeleted = Ev<typeof LIST_DELETED, { name: string; at: number }>;
export type ListRenamed = Ev<typeof LIST_RENAMED, { from: string; to: string; at: number }>;
export type RequestAdded = Ev<typeof REQUEST_ADDED, RequestData & { peer: string; direction: Direction }>;
export type RequestRemoved = Ev<typeof REQUEST_REMOVED, { peer: string; direction: Direction; at: number }>;
export type PendencyRead = Ev<typeof PENDENCY_READ, { at: number }>;

/** One pair of a Sns after-callback's PairList. */
export interface ReportPair {
  from: string;
  to: string;
  initiator: string;
}

/** What a Sns after-callback says besides its pairs. */
export interface ReportHeader {
  command: string;
  clientCmd: string;
  admin: string;
  force: boolean;
  platform: string;
  clientIp: string;
}

/** An after-callback recorded with the owner's half of the change it reports (no state). */
export type ChangeReported = Ev<typeof CHANGE_REPORTED, ReportHeader & { pairs: ReportPair[] }>;

export type RelationsEvent =
  | FriendAdded
  | FriendUpdated
  | FriendDeleted
  | PeerEdgeChanged
  | Blocked
  | Unblocked
  | ListCreated
  | ListDeleted
  | ListRenamed
  | RequestAdded
  | RequestRemoved
  | PendencyRead
  | ChangeReported;
