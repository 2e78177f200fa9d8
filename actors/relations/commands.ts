/** The relations actor's commands and replies, shared by its decider and its `many` step runner. */
import type { Direction, FriendData, ReportHeader, ReportPair, RequestData } from './events';
import type { ChainView, ViewReply } from './views';

export interface NewFriend extends Omit<FriendData, 'remarkTime'> {
  remarkTime?: number;
}

export interface FriendPatch {
  peer: string;
  remark?: string;
  groups?: string[];
  custom?: Record<string, string>;
}

export type RelationsCommand =
  | { op: 'view'; peers: string[] }
  | { op: 'read' }
  /**
   * Records the owner's half of a friendship: `friend` puts the peer in the owner's list
   * (with the owner's pending request to the peer, if any, supplying remark, list, source and
   * wording when `fromRequest`); `friendOf` notes that the peer has the owner in theirs.
   */
  | { op: 'link'; peer: string; friend?: NewFriend; fromRequest?: boolean; friendOf?: boolean; limit: number; limitCode: number; lists: number; now: number }
  | { op: 'unlink'; peer: string; friend?: boolean; friendOf?: boolean; now: number }
  | { op: 'request'; peer: string; direction: Direction; request: RequestData; limit: number; now: number }
  | { op: 'unrequest'; peer: string; direction: Direction; now: number }
  | { op: 'block'; peers: string[]; limit: number; now: number }
  | { op: 'unblock'; peers: string[]; now: number }
  | { op: 'blockedBy'; peer: string; present: boolean; now: number }
  | { op: 'update'; patches: FriendPatch[]; lists: number; now: number }
  | { op: 'createLists'; names: string[]; members: string[]; lists: number; now: number }
  | { op: 'deleteLists'; names: string[]; now: number }
  | { op: 'renameList'; from: string; to: string; now: number }
  | { op: 'listMembers'; name: string; add: string[]; remove: string[]; now: number }
  | { op: 'readPendency'; now: number }
  | ManyCommand;

/** Per-peer outcome of a batch command: 0 or a Tencent code. */
export interface BatchReply {
  codes: Record<string, number>;
}

/** What changed, for pushes and the other side of a saga. */
export interface ChangeReply {
  changed: boolean;
  /** `unlink`/`blockedBy`: the owner's friend edge to the peer was removed. */
  unfriended?: boolean;
}

export type RelationsReply = ViewReply | ChainView | BatchReply | ChangeReply | ManyReply;

/** The write commands a `many` carries (never `many` itself, nor reads). */
export type RelationsStep = Extract<RelationsCommand, { op: 'link' | 'unlink' | 'request' | 'unrequest' | 'block' | 'unblock' | 'blockedBy' }>;

/** The callback of a `many`: `pairs[i]` are reported when `steps[i]` recorded anything. */
export interface Report extends ReportHeader {
  pairs: ReportPair[][];
}

export interface ManyCommand {
  op: 'many';
  steps: RelationsStep[];
  report?: Report;
}

/** Per step: 0 or the code it was refused with, whether it recorded anything, and its own reply. */
export interface ManyReply {
  codes: number[];
  changed: boolean[];
  replies: (RelationsReply | null)[];
}

