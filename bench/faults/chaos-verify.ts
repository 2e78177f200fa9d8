/**
 * What the chaos bench checks once the load has stopped, read back from the store through REST
 * (and, for one-to-one messages, a receiver's device syncing with getmsg from the cookie it
 * held before the first send):
 * - lost: acknowledged but not stored, or stored under another sequence than acknowledged;
 * - duplicated: one send (one random) stored more than once;
 * - gaps: sequences of a conversation or group missing from 1..last, or used twice;
 * - sync: a stored message the device's sync missed or returned twice.
 */
import { FrameClient } from './frame-client';
import type { Installation } from './installation';
import type { NodeProcess } from './node-process';
import type { Stream } from './chaos-load';

export interface Verdict {
  sent: number;
  acked: number;
  /** Given up unacknowledged (never counted as lost: the client knows it failed). */
  unacked: number;
  /** Stored although never acknowledged (allowed: the answer was lost, not the message). */
  storedUnacked: number;
  lost: number;
  duplicated: number;
  gaps: number;
  syncMissing: number;
  syncDuplicated: number;
  /** The first few faults, for the report. */
  samples: string[];
}

export interface Stored {
  seq: number;
  random: number;
}

export const emptyVerdict = (): Verdict => ({ sent: 0, acked: 0, unacked: 0, storedUnacked: 0, lost: 0, duplicated: 0, gaps: 0, syncMissing: 0, syncDuplicated: 0, samples: [] });

export async function verifyStreams(installation: Installation, via: NodeProcess, streams: Stream[]): Promise<Verdict> {
  const v = emptyVerdict();
  for (const stream of streams) {
    const stored = stream.kind === 'c2c' ? await c2cHistory(installation, via, stream) : await groupHistory(installation, via, stream);
    judgeStream(stream, stored, v);
  }
  return v;
}

/** Adds what one stream's store says about its sends to the verdict. */
export function judgeStream(stream: Stream, stored: Stored[], v: Verdict): void {
  const note = (what: string) => v.samples.length < 10 && v.samples.push(`${stream.id}: ${what}`);
  const byRandom = new Map<number, Stored[]>();
  for (const s of stored) byRandom.set(s.random, [...(byRandom.get(s.random) ?? []), s]);
  for (const send of stream.sends.values()) {
    v.sent++;
    const copies = byRandom.get(send.random) ?? [];
    if (copies.length > 1) {
      v.duplicated += copies.length - 1;
      note(`random ${send.random} stored ${copies.length} times (seqs ${copies.map((c) => c.seq).join(', ')})`);
    }
    if (send.ackedAt === undefined) {
      v.unacked++;
      if (copies.length > 0) v.storedUnacked++;
      continue;
    }
    v.acked++;
    if (!copies.some((c) => c.seq === send.ackSeq)) {
      v.lost++;
      note(`random ${send.random} acknowledged as seq ${send.ackSeq}, stored as ${copies.map((c) => c.seq).join(', ') || 'nothing'}`);
    }
  }
  // Sequences of the conversation or group: 1..last, each once (tips of a group included).
  const seqs = stored.map((s) => s.seq).sort((a, b) => a - b);
  const last = seqs[seqs.length - 1] ?? 0;
  const seen = new Set<number>();
  for (const seq of seqs) {
    if (seen.has(seq)) {
      v.gaps++;
      note(`seq ${seq} used twice`);
    }
    seen.add(seq);
  }
  for (let seq = 1; seq <= last; seq++) {
    if (!seen.has(seq)) {
      v.gaps++;
      note(`seq ${seq} missing`);
    }
  }
}

async function c2cHistory(installation: Installation, via: NodeProcess, stream: Stream): Promise<Stored[]> {
  const [sender, receiver] = stream.users;
  const stored: Stored[] = [];
  let lastKey: string | undefined;
  for (;;) {
    const page = await installation.rest<{ ErrorCode: number; ErrorInfo: string; Complete: number; LastMsgKey: string; MsgList: { MsgKey: string; MsgRandom: number }[] }>(via, 'openim/admin_getroammsg', {
      Operator_Account: receiver,
      Peer_Account: sender,
      MaxCnt: 100,
      MinTime: 0,
      MaxTime: 4_000_000_000,
      ...(lastKey ? { LastMsgKey: lastKey } : {}),
    });
    if (page.ErrorCode !== 0) throw new Error(`admin_getroammsg of ${stream.id}: ${page.ErrorCode} ${page.ErrorInfo}`);
    stored.push(...page.MsgList.map((m) => ({ seq: Number(m.MsgKey.split('_')[0]), random: m.MsgRandom })));
    if (page.Complete === 1 || page.MsgList.length === 0) return stored;
    lastKey = page.LastMsgKey;
  }
}

async function groupHistory(installation: Installation, via: NodeProcess, stream: Stream): Promise<Stored[]> {
  const stored: Stored[] = [];
  for (let next = 0; ; ) {
    const page = await installation.rest<{ ErrorCode: number; ErrorInfo: string; IsFinished: number; RspMsgList: { MsgSeq: number; MsgRandom: number; IsSystemMsg: number }[] }>(
      via,
      'group_open_http_svc/group_msg_get_simple',
      { GroupId: stream.groupId, ReqMsgNumber: 20, ...(next ? { ReqMsgSeq: next } : {}) },
    );
    if (page.ErrorCode !== 0) throw new Error(`group_msg_get_simple of ${stream.id}: ${page.ErrorCode} ${page.ErrorInfo}`);
    // Tips (member joins) hold sequences too; they take part in the gap check, not the sends'.
    stored.push(...page.RspMsgList.map((m) => ({ seq: m.MsgSeq, random: m.IsSystemMsg ? -m.MsgSeq : m.MsgRandom })));
    const oldest = Math.min(...page.RspMsgList.map((m) => m.MsgSeq));
    if (page.IsFinished === 1 || page.RspMsgList.length === 0 || oldest <= 1) return stored;
    next = oldest - 1;
  }
}

/** A receiver's device: its sync cookie before the first send. */
export interface Device {
  stream: Stream;
  cookie: string;
}

async function loggedIn(installation: Installation, via: NodeProcess, userId: string): Promise<FrameClient> {
  const client = await FrameClient.open(via.baseUrl, installation.sdkAppId);
  const login = await client.login(userId, installation.sig(userId));
  if (login.ErrorCode !== 0) throw new Error(`login of ${userId}: ${String(login.ErrorCode)} ${String(login.ErrorInfo)}`);
  return client;
}

export async function deviceCookie(installation: Installation, via: NodeProcess, stream: Stream): Promise<Device> {
  const client = await loggedIn(installation, via, stream.users[1]);
  try {
    const first = await client.request('openim.getmsg', { Cookie: '', SyncFlag: 0 });
    return { stream, cookie: String(first.Cookie) };
  } finally {
    client.close();
  }
}

/** The device syncs from its cookie: every stored message of the stream exactly once. */
export async function verifySync(installation: Installation, via: NodeProcess, device: Device, v: Verdict): Promise<void> {
  const stored = new Set((await c2cHistory(installation, via, device.stream)).map((s) => s.random));
  const client = await loggedIn(installation, via, device.stream.users[1]);
  const synced = new Map<number, number>();
  try {
    for (let cookie = device.cookie, more = true; more; ) {
      const page = await client.request('openim.getmsg', { Cookie: cookie, SyncFlag: 1 });
      if ((page.ErrorCode ?? 0) !== 0) throw new Error(`getmsg: ${String(page.ErrorCode)} ${String(page.ErrorInfo)}`);
      for (const m of page.MsgList as { MsgRandom: number; From_Account: string }[]) {
        if (m.From_Account === device.stream.users[0]) synced.set(m.MsgRandom, (synced.get(m.MsgRandom) ?? 0) + 1);
      }
      cookie = String(page.Cookie);
      more = page.SyncFlag === 1;
    }
  } finally {
    client.close();
  }
  for (const random of stored) if (!synced.has(random)) v.syncMissing++;
  for (const [random, times] of synced) {
    if (times > 1) v.syncDuplicated += times - 1;
    if (!stored.has(random)) v.syncMissing++; // synced but not in the history: one of the two is wrong
  }
  if (v.syncMissing + v.syncDuplicated > 0 && v.samples.length < 10) v.samples.push(`${device.stream.id}: sync of ${synced.size} vs ${stored.size} stored`);
}
