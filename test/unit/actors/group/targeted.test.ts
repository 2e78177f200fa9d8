/**
 * Targeted group messages (send_group_msg To_Account, the SDK's receiverList): only the named
 * members and the sender receive them, nobody counts them as unread, and the types and limits
 * of the reference hold.
 */
import { expect } from 'chai';
import { groupKind, mayRead, unreadOf, type GroupCommand, type GroupState, type GroupType, type MessageSentData, type Outgoing } from '../../../../actors/group';
import { APP, apply, member, NOW, refusal, textMessage, user } from './support';

function group(type: GroupType = 'Public'): GroupState {
  const g = { type, owner: 'o', name: 'G', introduction: '', notification: '', faceUrl: '', maxMembers: 0, inviteJoin: 'FreeAccess' as const, custom: {}, createTime: 0 };
  return apply(groupKind.initialState(`1400000000:${type}`), { op: 'create', by: APP, group: g, members: [member('o', 'Owner'), member('a'), member('b'), member('c')], imported: false, now: NOW });
}

const send = (from: string, to: string[] | undefined, random: number, extra: Partial<MessageSentData> = {}): GroupCommand => ({
  op: 'send',
  by: user(from),
  message: { ...textMessage(from, random), ...(to ? { to } : {}), ...extra },
  onlineOnly: false,
  now: NOW,
});
const messageOut = (s: GroupState, c: GroupCommand) => (groupKind.decide(s, c).reply.out ?? []).find((o): o is Extract<Outgoing, { kind: 'message' }> => o.kind === 'message');

describe('group actor: targeted messages', () => {
  it('delivers a targeted message to the named members and the sender only', () => {
    const out = messageOut(group(), send('a', ['b'], 1));
    expect(out?.recipients.sort()).to.deep.equal(['a', 'b']);
    expect(out?.message.to).to.deep.equal(['b']);
  });

  it('delivers an ordinary message to every member', () => {
    expect(messageOut(group(), send('a', undefined, 1))?.recipients.sort()).to.deep.equal(['a', 'b', 'c', 'o']);
  });

  it('stores the audience with the message and takes the next sequence', () => {
    const { events } = groupKind.decide(group(), send('a', ['b', 'b', 'c'], 1));
    expect(events).to.have.length(1);
    expect(events[0].data).to.include({ seq: 1, noUnread: true });
    expect((events[0].data as MessageSentData).to).to.deep.equal(['b', 'c']);
  });

  it('drops named accounts that are not members, and refuses when none is', () => {
    expect(messageOut(group(), send('a', ['b', 'stranger'], 1))?.message.to).to.deep.equal(['b']);
    expect(refusal(group(), send('a', ['stranger'], 1))).to.equal(10004);
  });

  it('counts a targeted message as unread for nobody, and later ordinary ones as usual', () => {
    let s = apply(group(), send('a', ['b'], 1));
    expect(unreadOf(s, 'b')).to.equal(0);
    expect(unreadOf(s, 'c')).to.equal(0);
    s = apply(s, send('a', undefined, 2));
    expect(unreadOf(s, 'b')).to.equal(1);
    expect(unreadOf(s, 'c')).to.equal(1);
  });

  it('refuses more than 50 receivers', () => {
    const many = Array.from({ length: 51 }, (_, i) => `u${i}`);
    expect(refusal(group(), send('a', ['b', ...many], 1))).to.equal(10004);
  });

  it('refuses an @ message that is also targeted', () => {
    expect(refusal(group(), send('a', ['b'], 1, { atUsers: ['b'] }))).to.equal(10004);
  });

  for (const type of ['Work', 'Public', 'Meeting'] as const) {
    it(`takes targeted messages in a ${type} group`, () => {
      expect(refusal(group(type), send('a', ['b'], 1))).to.equal(undefined);
    });
  }
  for (const type of ['Community', 'AVChatRoom'] as const) {
    it(`refuses targeted messages in a ${type} group`, () => {
      expect(refusal(group(type), send('o', ['b'], 1))).to.equal(10004);
    });
  }

  it('recalls a targeted message only towards those who could see it', () => {
    const s = apply(group(), send('a', ['b'], 1));
    const out = groupKind.decide(s, { op: 'recall', by: user('a'), seqs: [1], limitSeconds: 120, now: NOW }).reply.out ?? [];
    expect(out.map((o) => (o.kind === 'recall' ? o.recipients.sort() : []))).to.deep.equal([['a', 'b']]);
  });

  it('lets the sender and the named members read it, and nobody else', () => {
    const meta = { from: 'a', to: ['b'] };
    expect([mayRead(meta, 'a'), mayRead(meta, 'b'), mayRead(meta, 'c')]).to.deep.equal([true, true, false]);
    expect(mayRead({ from: 'a' }, 'c')).to.equal(true);
  });
});
