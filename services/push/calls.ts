/**
 * Call invitations in messages. Tencent's signaling (TSignaling, what TUICallKit and the native
 * SDKs' V2TIMSignalingManager use) travels as an ordinary one-to-one or group message holding one
 * TIMCustomElem whose `Data` is JSON: `businessID` 1, `inviteID`, `inviter`, `actionType` (1
 * invite, 2 cancel, 3 accept, 4 reject, 5 timeout), `inviteeList`, `timeout` (seconds), `groupID`,
 * and `data`, the call's own JSON string (TUICallKit: `call_type` 1 audio / 2 video, or
 * `data.cmd` `audioCall`/`videoCall`). Parley stores and delivers it like any message; push
 * reads it here to ring offline invitees.
 */

export const SIGNALING_BUSINESS_ID = 1;
export const ACTION = { INVITE: 1, CANCEL: 2, ACCEPT: 3, REJECT: 4, TIMEOUT: 5 } as const;

export interface Signal {
  inviteId: string;
  action: number;
  invitees: string[];
  /** Seconds the invitation rings; 0 = no timeout given. */
  timeoutSec: number;
  media: 'audio' | 'video' | 'unknown';
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function parse(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || !text.startsWith('{')) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return isRecord(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function mediaOf(inner: Record<string, unknown> | undefined): Signal['media'] {
  if (!inner) return 'unknown';
  const cmd = isRecord(inner.data) ? inner.data.cmd : undefined;
  if (inner.call_type === 2 || cmd === 'videoCall') return 'video';
  if (inner.call_type === 1 || cmd === 'audioCall') return 'audio';
  return 'unknown';
}

/** The signal a message body carries, if it is one custom element of Tencent's signaling. */
export function signalOf(elements: unknown[]): Signal | undefined {
  if (elements.length !== 1 || !isRecord(elements[0]) || elements[0].MsgType !== 'TIMCustomElem') return undefined;
  const content = elements[0].MsgContent;
  const s = parse(isRecord(content) ? content.Data : undefined);
  if (!s || s.businessID !== SIGNALING_BUSINESS_ID || typeof s.actionType !== 'number' || typeof s.inviteID !== 'string') return undefined;
  const invitees = Array.isArray(s.inviteeList) ? s.inviteeList.filter((u): u is string => typeof u === 'string') : [];
  const timeout = typeof s.timeout === 'number' && Number.isFinite(s.timeout) && s.timeout > 0 ? Math.floor(s.timeout) : 0;
  return { inviteId: s.inviteID, action: s.actionType, invitees, timeoutSec: timeout, media: mediaOf(parse(s.data)) };
}

/** The push text of an invitation with no Desc of its own. */
export const CALL_TEXT: Record<Signal['media'], string> = { audio: '[Voice call]', video: '[Video call]', unknown: '[Call invitation]' };
