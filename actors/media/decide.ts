/**
 * Rules of an app's media ledger: a file is recorded before it becomes visible, and only while
 * the app stays within its quota; messages that carry a file hold it, and the file goes when
 * the last of them goes (recalled, erased, past the roaming period); a deletion gives the bytes
 * back once and is followed by the removal of its objects, retried until confirmed.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { BLOBS_REMOVED, FILE_STORED, FILES_DELETED, FILES_REFERENCED, REFERENCE_RENAMED, REFERENCES_RELEASED, type FileStoredData, type MediaEvent } from './events';
import { conversationOfRef, type MediaState } from './state';

/** Parley's media codes (docs/media.md): over the app's quota; a file key stored twice. */
export const MEDIA_CODES = { QUOTA: 91108, DUPLICATE: 91106 } as const;

/** At most this many files expire per command, so one sweep step stays one small append. */
export const EXPIRE_BATCH = 500;

export type MediaCommand =
  | { op: 'store'; file: FileStoredData; quotaBytes: number }
  | { op: 'delete'; fileKeys: string[]; reason: string; now: number }
  | { op: 'reference'; fileKeys: string[]; ref: string; time: number; now: number }
  | { op: 'rename'; from: string; to: string; time: number; now: number }
  | { op: 'release'; refs: string[]; reason: string; now: number }
  /** Every message of a conversation went (a disbanded group, its topics included). */
  | { op: 'releaseConversation'; conversation: string; reason: string; now: number }
  /** Messages older than cutoffSec are past the roaming period: they release their files; files no message holds go once older too. */
  | { op: 'expire'; cutoffSec: number; now: number }
  | { op: 'removed'; fileKeys: string[]; now: number }
  | { op: 'readers'; fileKey: string }
  | { op: 'usage' };

export interface MediaReply {
  usedBytes: number;
  files: number;
  /** Files taken off the ledger by this command: their objects are to be removed now. */
  deleted?: string[];
  /** Deleted files whose objects are not confirmed gone (the sweep removes them again). */
  doomed?: string[];
  /** readers: whether the file is kept, its uploader, and the conversations of the messages holding it. */
  kept?: boolean;
  owner?: string;
  conversations?: string[];
  /** expire: more files are past the period than one command takes. */
  more?: boolean;
}

const reply = (s: MediaState, extra: Partial<MediaReply> = {}): MediaReply => ({ usedBytes: s.usedBytes, files: Object.keys(s.files).length, ...extra });

export function decide(state: MediaState, command: MediaCommand): Decision<MediaEvent, MediaReply> {
  switch (command.op) {
    case 'store': {
      const { file, quotaBytes } = command;
      if (file.fileKey in state.files) throw new DomainError(MEDIA_CODES.DUPLICATE, `file ${file.fileKey} is already stored`);
      if (state.usedBytes + file.bytes > quotaBytes) {
        throw new DomainError(MEDIA_CODES.QUOTA, `the app's media quota of ${quotaBytes} bytes would be exceeded (${state.usedBytes} in use)`);
      }
      return { events: [{ type: FILE_STORED, data: file }], reply: { usedBytes: state.usedBytes + file.bytes, files: Object.keys(state.files).length + 1 } };
    }
    case 'delete':
      return deleting(state, [], [...new Set(command.fileKeys)], command.reason, command.now);
    case 'reference': {
      const fileKeys = [...new Set(command.fileKeys)].filter((k) => k in state.files && state.refs[k]?.[command.ref] === undefined);
      if (fileKeys.length === 0) return { events: [], reply: reply(state) };
      return { events: [{ type: FILES_REFERENCED, data: { fileKeys, ref: command.ref, time: command.time, at: command.now } }], reply: reply(state) };
    }
    case 'rename': {
      if (!state.held[command.from] || command.from === command.to) return { events: [], reply: reply(state) };
      return { events: [{ type: REFERENCE_RENAMED, data: { from: command.from, to: command.to, time: command.time, at: command.now } }], reply: reply(state) };
    }
    case 'release':
      return deleting(state, [...new Set(command.refs)].filter((r) => state.held[r]), [], command.reason, command.now);
    case 'releaseConversation': {
      const topics = `${command.conversation}/`;
      const refs = Object.keys(state.held).filter((r) => {
        const c = conversationOfRef(r);
        return c === command.conversation || c.startsWith(topics);
      });
      return deleting(state, refs, [], command.reason, command.now);
    }
    case 'expire': {
      const cutoff = command.cutoffSec;
      const refs = Object.entries(state.held)
        .filter(([ref, keys]) => keys.every((k) => (state.refs[k]?.[ref] ?? 0) < cutoff))
        .map(([ref]) => ref);
      const unheld = Object.keys(state.files).filter((k) => Object.keys(state.refs[k] ?? {}).length === 0 && state.born[k] < cutoff * 1000);
      const more = refs.length > EXPIRE_BATCH || unheld.length > EXPIRE_BATCH;
      const decision = deleting(state, refs.slice(0, EXPIRE_BATCH), unheld.slice(0, EXPIRE_BATCH), 'expired', command.now);
      return { events: decision.events, reply: { ...decision.reply, more } };
    }
    case 'removed': {
      const fileKeys = [...new Set(command.fileKeys)].filter((k) => state.doomed.includes(k));
      if (fileKeys.length === 0) return { events: [], reply: reply(state, { doomed: state.doomed }) };
      const left = state.doomed.filter((k) => !fileKeys.includes(k));
      return { events: [{ type: BLOBS_REMOVED, data: { fileKeys, at: command.now } }], reply: reply(state, { doomed: left }) };
    }
    case 'readers': {
      const kept = command.fileKey in state.files;
      const conversations = [...new Set(Object.keys(state.refs[command.fileKey] ?? {}).map(conversationOfRef))];
      return { events: [], reply: reply(state, { kept, owner: state.owners[command.fileKey] ?? '', conversations }) };
    }
    case 'usage':
      return { events: [], reply: reply(state, { doomed: state.doomed }) };
    default: {
      const never: never = command;
      throw new Error(`unknown media command ${JSON.stringify(never)}`);
    }
  }
}

/**
 * Releases `refs`, then deletes `fileKeys` and every file those refs held that no other message
 * holds any more. Events first: the caller removes the objects of `deleted` after the append.
 */
function deleting(state: MediaState, refs: string[], fileKeys: string[], reason: string, now: number): Decision<MediaEvent, MediaReply> {
  const gone = new Set(refs);
  const doomed = new Set(fileKeys.filter((k) => k in state.files));
  for (const ref of refs) {
    for (const key of state.held[ref] ?? []) {
      if (key in state.files && Object.keys(state.refs[key] ?? {}).every((r) => gone.has(r))) doomed.add(key);
    }
  }
  const deleted = [...doomed];
  const events: MediaEvent[] = [];
  if (refs.length > 0) events.push({ type: REFERENCES_RELEASED, data: { refs, reason, at: now } });
  if (deleted.length > 0) events.push({ type: FILES_DELETED, data: { fileKeys: deleted, reason, at: now } });
  const freed = deleted.reduce((n, k) => n + state.files[k], 0);
  return { events, reply: { usedBytes: state.usedBytes - freed, files: Object.keys(state.files).length - deleted.length, deleted } };
}
