/**
 * delete_group_msg_by_sender beyond the actor's window of REMEMBERED_MESSAGES: the actor asks for
 * the older range to be read from the log, deletes what it is handed, and history keeps marking
 * deleted and recalled messages after they leave the window.
 */
import { expect } from 'chai';
import {
  groupKind,
  MESSAGE_SENT,
  type DeleteBySenderResult,
  type GroupCommand,
  type GroupEvent,
  type GroupState,
  type HistoryWindow,
  type MessageSentData,
} from '../../../../actors/group';
import { REMEMBERED_MESSAGES } from '../../../../actors/group/state';
import { APP, apply, member, NOW } from './support';

function group(): GroupState {
  const g = { type: 'Public' as const, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState('1400000000:g1'), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('spam'), member('ok')], imported: false, now: NOW });
}

/** Appends messages straight as events (as replay would): `from(i)` names the sender of the i-th. */
function sendMany(s: GroupState, n: number, from: (i: number) => string): GroupState {
  let state = s;
  for (let i = 0; i < n; i++) {
    const seq = state.lastSeq + 1;
    const data: MessageSentData = {
      seq, from: from(i), random: seq, clientSeq: 0, clientTime: 0, time: NOW / 1000, priority: 2, body: '[]', cloudCustomData: '', offlinePush: null,
      atAll: false, atUsers: [], fromNick: '', fromFace: '', nameCard: '', byAdmin: false, contentHash: seq, noUnread: false,
    };
    state = groupKind.evolve(state, { type: MESSAGE_SENT, data } as GroupEvent);
  }
  return state;
}

const del = (extra: Partial<Extract<GroupCommand, { op: 'deleteBySender' }>> = {}): GroupCommand => ({ op: 'deleteBySender', by: APP, sender: 'spam', now: NOW, ...extra });
const resultOf = (s: GroupState, c: GroupCommand) => groupKind.decide(s, c).reply.result as DeleteBySenderResult;
const deletedIn = (s: GroupState) => (groupKind.decide(s, { op: 'locate', viewer: APP, seq: Number.MAX_SAFE_INTEGER }).reply.result as HistoryWindow).deleted.sort((a, b) => a - b);

describe('group actor: deleting all of a sender’s messages', () => {
  it('deletes within the window at once when the group never outgrew it', () => {
    const s = sendMany(group(), 10, (i) => (i % 2 ? 'spam' : 'ok'));
    expect(resultOf(s, del({ scannedBelow: 1 }))).to.deep.equal({ deleted: 5, seqs: [2, 4, 6, 8, 10] });
    expect(deletedIn(apply(s, del({ scannedBelow: 1 })))).to.deep.equal([2, 4, 6, 8, 10]);
  });

  it('asks for the range below the window before writing anything', () => {
    const s = sendMany(group(), REMEMBERED_MESSAGES + 4, (i) => (i < 4 || i % 1000 === 0 ? 'spam' : 'ok'));
    const d = groupKind.decide(s, del({ scannedBelow: 1 }));
    expect(d.events).to.deep.equal([]);
    const { scan } = d.reply.result as DeleteBySenderResult;
    expect(scan).to.include({ fromSeq: 1, toSeq: 5 });
    expect(scan?.beforeVersion).to.be.a('number').above(0);
  });

  it('deletes the older messages it is handed together with the window’s, and history marks both', () => {
    let s = sendMany(group(), REMEMBERED_MESSAGES + 4, (i) => (i < 4 || i % 1000 === 0 ? 'spam' : 'ok'));
    const result = resultOf(s, del({ scannedBelow: 5, older: [1, 2, 3, 4, 99_999] }));
    // 1-4 from the log (99,999 is not below the window and is ignored), and 1,001, 2,001 … 10,001 from the window (seq 1 is i = 0).
    expect(result.deleted).to.equal(4 + 10);
    s = apply(s, del({ scannedBelow: 5, older: [1, 2, 3, 4] }));
    const deleted = deletedIn(s);
    expect(deleted.slice(0, 5)).to.deep.equal([1, 2, 3, 4, 1001]);
    expect(deleted).to.have.length(14);
  });

  it('keeps marking deleted and recalled messages after newer ones push them out of the window', () => {
    let s = sendMany(group(), 3, (i) => (i === 1 ? 'spam' : 'ok'));
    s = apply(s, del({ scannedBelow: 1 }));
    s = apply(s, { op: 'recall', by: APP, seqs: [3], limitSeconds: 120, now: NOW });
    s = sendMany(s, REMEMBERED_MESSAGES, () => 'ok');
    expect(s.messages.has(2)).to.equal(false);
    const w = groupKind.decide(s, { op: 'locate', viewer: APP, seq: 10 }).reply.result as HistoryWindow;
    expect(w.deleted).to.deep.equal([2]);
    expect(w.recalled).to.deep.equal([3]);
  });

  it('skips older messages already deleted', () => {
    let s = sendMany(group(), REMEMBERED_MESSAGES + 2, (i) => (i < 2 ? 'spam' : 'ok'));
    s = apply(s, del({ scannedBelow: 3, older: [1, 2] }));
    expect(resultOf(s, del({ scannedBelow: 3, older: [1, 2] }))).to.deep.equal({ deleted: 0, seqs: [] });
  });
});
