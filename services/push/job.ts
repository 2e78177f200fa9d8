/**
 * What a push says, computed once when the message commits and stored with the job: Title and
 * Desc from OfflinePushInfo, or by default the sender's nick and a summary of the message
 * (text, "[Image]", …, the seed's table of push texts), Ext, the per-platform options, and
 * the facts delivery needs (who, which conversation, which seq) to skip a read message.
 */
import { ACTION, CALL_TEXT, signalOf } from './calls';

/** c2c and group: a stored message (a call invitation among them); friend: a friend request (friend-request.ts). */
export type JobKind = 'c2c' | 'group' | 'all' | 'friend';

export interface PushJob {
  kind: JobKind;
  from: string;
  /** c2c: the sender (the recipient's peer); group: the group id; all: the task id; friend: the requester. */
  conv: string;
  seq: number;
  /** MsgKey of a one-to-one message, or `<groupId>_<seq>`: the collapse id of every copy of this push. */
  msgKey: string;
  title: string;
  desc: string;
  ext: string;
  /** ApnsInfo and AndroidInfo of OfflinePushInfo, as given. */
  apns?: Record<string, unknown>;
  android?: Record<string, unknown>;
  /** ApnsInfo.BadgeMode 1: this push does not raise the badge. */
  noBadge: boolean;
  /** Group messages: members @-mentioned (or all), who are pushed despite AcceptNotNotifyExceptAt. */
  at?: string[] | 'all';
  /** Seconds a push stays deliverable (apns-expiration, FCM ttl, Web Push TTL); 0 = provider default. */
  ttlSec: number;
  /** Unix ms the message was sent. */
  sentAt: number;
  /** A call invitation (calls.ts): pushed to its invitees only, whether or not read, until its timeout. */
  call?: { inviteId: string; invitees: string[] };
}

/** The push text of each element type (the seed's table; English texts). */
const PLACEHOLDER: Record<string, string> = {
  TIMImageElem: '[Image]',
  TIMSoundElem: '[Voice]',
  TIMVideoFileElem: '[Video]',
  TIMFileElem: '[File]',
  TIMLocationElem: '[Location]',
  TIMFaceElem: '[Face]',
  TIMRelayElem: '[Chat History]',
};

interface Element {
  MsgType?: string;
  MsgContent?: Record<string, unknown>;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

function elementsOf(body: string): Element[] {
  try {
    const parsed = JSON.parse(body) as unknown;
    return Array.isArray(parsed) ? (parsed as Element[]) : [];
  } catch {
    return [];
  }
}

/** Desc and Ext of a message body by the seed's rules; desc '' = the message makes no push. */
export function summaryOf(body: string | Element[]): { desc: string; ext: string; sound: string } {
  const elements = typeof body === 'string' ? elementsOf(body) : body;
  let desc = '';
  let ext = '';
  let sound = '';
  for (const e of elements) {
    const c = e.MsgContent ?? {};
    if (e.MsgType === 'TIMTextElem') desc += str(c.Text);
    else if (e.MsgType === 'TIMCustomElem') {
      desc += str(c.Desc);
      ext ||= str(c.Ext);
      sound ||= str(c.Sound);
    } else desc += PLACEHOLDER[e.MsgType ?? ''] ?? '';
  }
  return { desc, ext, sound };
}

export interface JobSource {
  kind: JobKind;
  from: string;
  fromNick: string;
  conv: string;
  /** Group name, shown as the title of a group push. */
  convName?: string;
  seq: number;
  msgKey: string;
  body: string;
  offlinePush: string | null;
  ttlSec: number;
  sentAt: number;
  at?: string[] | 'all';
}

/** The job of a stored message, or undefined when it makes no push (PushFlag 1, nothing to say). */
export function jobOf(m: JobSource): PushJob | undefined {
  let info: Record<string, unknown> = {};
  try {
    info = m.offlinePush ? (JSON.parse(m.offlinePush) as Record<string, unknown>) : {};
  } catch {
    info = {};
  }
  if (info.PushFlag === 1) return undefined;
  const elements = elementsOf(m.body);
  const summary = summaryOf(elements);
  const signal = m.kind === 'c2c' || m.kind === 'group' ? signalOf(elements) : undefined;
  const invite = signal?.action === ACTION.INVITE ? signal : undefined;
  // Cancels, answers and timeouts of a call ring nobody, unless the sender gave them a text.
  if (signal && !invite && !str(info.Desc)) return undefined;
  const text = invite && !summary.desc ? CALL_TEXT[invite.media] : summary.desc;
  // Seed: a message whose text is empty (a custom element without Desc) is not pushed unless OfflinePushInfo.Desc says what to show.
  const bodyDesc = m.kind === 'group' && text ? `${m.fromNick || m.from}: ${text}` : text;
  const desc = str(info.Desc) || bodyDesc;
  if (desc === '') return undefined;
  // An invitation stops ringing when it times out, whatever the message's own lifetime.
  const ttlSec = invite && invite.timeoutSec > 0 ? (m.ttlSec > 0 ? Math.min(m.ttlSec, invite.timeoutSec) : invite.timeoutSec) : m.ttlSec;
  const apns = isObject(info.ApnsInfo) ? info.ApnsInfo : undefined;
  const android = isObject(info.AndroidInfo) ? info.AndroidInfo : summary.sound ? { Sound: summary.sound } : undefined;
  return {
    kind: m.kind,
    from: m.from,
    conv: m.conv,
    seq: m.seq,
    msgKey: m.msgKey,
    title: str(info.Title) || (m.kind === 'group' ? m.convName || m.conv : m.fromNick || m.from),
    desc,
    ext: str(info.Ext) || summary.ext,
    ...(apns ? { apns } : {}),
    ...(android ? { android } : {}),
    noBadge: apns?.BadgeMode === 1,
    ...(m.at ? { at: m.at } : {}),
    ttlSec,
    sentAt: m.sentAt,
    ...(invite ? { call: { inviteId: invite.inviteId, invitees: invite.invitees } } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
