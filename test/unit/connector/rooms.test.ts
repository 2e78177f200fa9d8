/**
 * A gateway node's live rooms: sessions in and out, online users counted once however many
 * devices they have, and a dropped device's rooms kept for its reconnect — until they expire,
 * the user quits, or the room is disbanded.
 */
import { expect } from 'chai';
import { wsFrame } from '../../../services/connector/frames';
import { RoomIndex } from '../../../services/connector/rooms';
import type { Session } from '../../../services/connector/session';

const APP = 1400000000;
const session = (userId: string, instId: string) => ({ sdkAppId: APP, instId, user: { userId, session: 1, expiresAt: 0 }, rooms: undefined }) as unknown as Session;

describe('connector: live rooms of one node', () => {
  it('counts users, not devices', () => {
    const rooms = new RoomIndex(60_000);
    expect(rooms.enter('r', session('ann', 'web'))).to.equal(true);
    const phone = session('ann', 'phone');
    rooms.enter('r', phone);
    expect(rooms.enter('r', phone)).to.equal(false);
    rooms.enter('r', session('bob', 'web'));
    expect(rooms.sessions('r')?.size).to.equal(3);
    expect(rooms.users('r')).to.equal(2);
    expect(rooms.has('r', 'bob')).to.equal(true);
    expect(rooms.has('r', 'cat')).to.equal(false);
  });

  it('gives a dropped device its rooms back at its next login, not after the grace period', () => {
    const rooms = new RoomIndex(1000);
    const first = session('ann', 'web');
    rooms.enter('r1', first);
    rooms.enter('r2', first);
    rooms.drop(first, 'ann', true, 0);
    expect(rooms.users('r1')).to.equal(0);
    const again = session('ann', 'web');
    expect(rooms.restore(again, 'ann', 500)).to.have.length(2);
    expect(rooms.has('r2', 'ann')).to.equal(true);
    rooms.drop(again, 'ann', true, 600);
    expect(rooms.restore(session('ann', 'web'), 'ann', 1601)).to.deep.equal([]);
  });

  it('forgets parked rooms a user quit or that were disbanded, and parks nothing at logout', () => {
    const rooms = new RoomIndex(60_000);
    const s = session('ann', 'web');
    for (const r of ['quit', 'closed', 'kept']) rooms.enter(r, s);
    rooms.drop(s, 'ann', true, 0);
    rooms.unpark('quit', APP, 'ann');
    rooms.close('closed');
    const back = session('ann', 'web');
    expect(rooms.restore(back, 'ann', 1)).to.have.length(1);
    expect(back.rooms).to.deep.equal(['kept']);
    rooms.drop(back, 'ann', false, 2);
    expect(rooms.restore(session('ann', 'web'), 'ann', 3)).to.deep.equal([]);
    expect(rooms.count).to.equal(0);
  });

  it('frames a push once as a whole unmasked WebSocket frame', () => {
    const small = wsFrame(Buffer.from('hi'), false);
    expect([...small]).to.deep.equal([0x82, 2, 0x68, 0x69]);
    const medium = wsFrame(Buffer.alloc(300), true);
    expect([medium[0], medium[1], medium.readUInt16BE(2), medium.length]).to.deep.equal([0x81, 126, 300, 304]);
    const large = wsFrame(Buffer.alloc(70_000), false);
    expect([large[1], large.readUInt32BE(6), large.length]).to.deep.equal([127, 70_000, 70_010]);
  });

  it('lists each online user once with their earliest entry, and forgets one who left', () => {
    const rooms = new RoomIndex(60_000);
    const [web, phone] = [session('ann', 'web'), session('ann', 'phone')];
    rooms.enter('r', phone, 2000);
    rooms.enter('r', web, 1000);
    rooms.enter('r', session('bob', 'web'), 3000);
    expect(rooms.members('r')).to.have.deep.members([['ann', 1000, []], ['bob', 3000, []]]);
    rooms.leave('r', web);
    expect(rooms.members('r')).to.have.deep.members([['ann', 2000, []], ['bob', 3000, []]]);
    rooms.leave('r', phone);
    expect(rooms.members('r')).to.deep.equal([['bob', 3000, []]]);
  });

  it("keeps a user's marks while one of their devices is in the room, and drops them with the last", () => {
    const rooms = new RoomIndex(60_000);
    const [web, phone] = [session('ann', 'web'), session('ann', 'phone')];
    rooms.enter('r', web, 1000);
    rooms.enter('r', phone, 1000);
    expect(rooms.mark('r', 'ann', [1000, 1001], true)).to.equal(true);
    expect(rooms.mark('r', 'bob', [1000], true)).to.equal(false);
    rooms.mark('r', 'ann', [1001], false);
    rooms.leave('r', web);
    expect(rooms.members('r')).to.deep.equal([['ann', 1000, [1000]]]);
    rooms.drop(phone, 'ann', true, 5000);
    rooms.restore(phone, 'ann', 6000);
    expect(rooms.members('r')).to.deep.equal([['ann', 6000, []]]);
  });
});
