/** What the group actor's unit tests share: a clock, callers, member records, a text message, decide-and-evolve. */
import { DomainError } from '../../../../runtime/kind';
import { groupKind, type GroupCommand, type GroupState, type SendFields, type Who } from '../../../../actors/group';

export const NOW = 1_700_000_000_000;
export const user = (id: string): Who => ({ id, admin: false });
/** The app administrator (REST). */
export const APP: Who = { id: 'administrator', admin: true };
export const member = (id: string, role: 'Owner' | 'Admin' | 'Member' = 'Member') => ({ user: id, role, joinTime: 1, nameCard: '', custom: '{}' });

/** Decides and applies the events. */
export function apply(state: GroupState, command: GroupCommand): GroupState {
  return groupKind.decide(state, command).events.reduce(groupKind.evolve, state);
}

/** The code a refused command answers; undefined when it is allowed. */
export function refusal(state: GroupState, command: GroupCommand): number | undefined {
  try {
    groupKind.decide(state, command);
    return undefined;
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    return err.code;
  }
}

/** A plain text message from `from`; its content hash is its Random. */
export const textMessage = (from: string, random: number): SendFields => ({
  from,
  random,
  clientSeq: 0,
  clientTime: 0,
  priority: 2,
  body: '[{"MsgType":"TIMTextElem","MsgContent":{"Text":"hi"}}]',
  cloudCustomData: '',
  offlinePush: null,
  atAll: false,
  atUsers: [],
  fromNick: '',
  fromFace: '',
  byAdmin: false,
  contentHash: random,
  noUnread: false,
});
