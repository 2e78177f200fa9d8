import { expect } from 'chai';
import type { WebSocket } from 'ws';
import type { Device } from '../../../services/connector/platform';
import { CLOSE_SLOW, Session } from '../../../services/connector/session';

const LIMIT = 512 * 1024;
const device: Device = { platform: 'Web', cls: 'web', code: 7, idleMs: 60_000 };

/** A socket that records what the session does to it; `bufferedAmount` is what still waits. */
function fakeSocket(bufferedAmount: number) {
  const calls = { sent: [] as number[], written: [] as number[], closed: [] as number[], terminated: 0 };
  const ws = {
    bufferedAmount,
    readyState: 1,
    send: (frame: Buffer) => calls.sent.push(frame.length),
    close: (code: number) => calls.closed.push(code),
    terminate: () => calls.terminated++,
    _socket: { write: (b: Buffer) => calls.written.push(b.length) },
  };
  return { ws, calls, session: new Session(ws as unknown as WebSocket, 1400000001, 'inst', device, false, 0) };
}

describe('connector backpressure', () => {
  it('sends a frame larger than the limit to a client with nothing waiting', () => {
    const { session, calls } = fakeSocket(0);
    expect(session.send(Buffer.alloc(LIMIT * 2), LIMIT)).to.equal(true);
    expect(calls.sent).to.deep.equal([LIMIT * 2]);
    expect(calls.closed).to.deep.equal([]);
  });

  it('sends while what waits is at most the limit, whatever the new frame weighs', () => {
    const { session, calls } = fakeSocket(LIMIT);
    expect(session.send(Buffer.alloc(300 * 1024), LIMIT)).to.equal(true);
    expect(calls.closed).to.deep.equal([]);
  });

  it('cuts off a client with more than the limit still waiting: 4008, nothing more sent', () => {
    const { session, calls } = fakeSocket(LIMIT + 1);
    expect(session.send(Buffer.alloc(10), LIMIT)).to.equal(false);
    expect(calls.closed).to.deep.equal([CLOSE_SLOW]);
    expect(calls.sent).to.deep.equal([]);
    expect(session.closed).to.equal(true);
    expect(session.send(Buffer.alloc(10), LIMIT)).to.equal(false);
    expect(calls.closed, 'closed once').to.have.length(1);
  });

  it('applies the same rule to pre-built room frames', () => {
    const reading = fakeSocket(0);
    expect(reading.session.write(Buffer.alloc(LIMIT * 2), LIMIT)).to.equal(true);
    expect(reading.calls.written).to.deep.equal([LIMIT * 2]);
    const stuck = fakeSocket(LIMIT + 1);
    expect(stuck.session.write(Buffer.alloc(10), LIMIT)).to.equal(false);
    expect(stuck.calls.closed).to.deep.equal([CLOSE_SLOW]);
    expect(stuck.calls.written).to.deep.equal([]);
  });
});
