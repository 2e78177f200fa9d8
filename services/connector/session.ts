/**
 * One SDK socket and what the gateway knows of it. Kept small: at tens of thousands of idle
 * connections per node every field counts, so no timers or closures live here (a sweep in the
 * gateway checks idleness for all sessions at once).
 *
 * Backpressure: `send` never waits. Frames queue in ws's buffer; a client that lets more than
 * `maxBuffered` bytes pile up (counted before each new frame, never the new frame itself) is cut
 * off, so one slow reader costs bounded memory and never delays anyone else.
 */
import type { WebSocket } from 'ws';
import type { KickType } from '../presence/policy';
import type { Device } from './platform';

export interface LoggedIn {
  userId: string;
  /** The InstId of this login. */
  session: number;
  /** Unix seconds: the UserSig (or A2Key) expiry. */
  expiresAt: number;
}

/** 4008: Parley's close code for a client that does not read its frames. */
export const CLOSE_SLOW = 4008;

export class Session {
  user: LoggedIn | undefined;
  /** A login is being checked; frames other than heartbeats wait for it to finish. */
  loggingIn = false;
  /** Set when this session was kicked: a later wshello learns why (ErrorCode 1002). */
  kicked: KickType | 0 = 0;
  lastSeen: number;
  inFlight = 0;
  closed = false;
  /** The client's IP address (callbacks' ClientIP). */
  ip = '';
  /** Live rooms (AVChatRoom) this session is in; undefined for the many that are in none. */
  rooms: string[] | undefined;

  constructor(
    readonly ws: WebSocket,
    readonly sdkAppId: number,
    /** The SDK instance id from the URL; identifies the device across reconnects. */
    readonly instId: string,
    readonly device: Device,
    /** `/info` sockets (a few mini-program platforms) exchange text frames. */
    readonly text: boolean,
    now: number,
  ) {
    this.lastSeen = now;
  }

  /** Queues a frame; false when the client was too slow and has been disconnected. */
  send(frame: Buffer, maxBuffered: number): boolean {
    if (this.closed || this.cutOffIfBacklogged(maxBuffered)) return false;
    this.ws.send(frame, { binary: !this.text });
    return true;
  }

  /**
   * Writes a whole pre-built WebSocket frame (frames.ts wsFrame) to the socket underneath ws.
   * Safe beside ws's own sends: without permessage-deflate ws writes each frame synchronously
   * and queues nothing, so frames never interleave; `bufferedAmount` counts these bytes too.
   */
  write(framed: Buffer, maxBuffered: number): boolean {
    if (this.closed || this.ws.readyState !== 1 || this.cutOffIfBacklogged(maxBuffered)) return false;
    (this.ws as unknown as { _socket: { write(b: Buffer): boolean } })._socket.write(framed);
    return true;
  }

  /**
   * A client that does not read: more than `maxBuffered` bytes of earlier frames still wait. The
   * frame about to go out does not count — a large reply to a client that reads is no reason to
   * drop it (replies are bounded anyway: commands/reply-budget.ts) — so one client holds at
   * most the limit plus one frame.
   */
  private cutOffIfBacklogged(maxBuffered: number): boolean {
    if (this.ws.bufferedAmount <= maxBuffered) return false;
    this.closed = true;
    this.ws.close(CLOSE_SLOW, 'send buffer full');
    // A client that does not read will not read a close frame either.
    setTimeout(() => this.ws.terminate(), 1000).unref();
    return true;
  }
}
