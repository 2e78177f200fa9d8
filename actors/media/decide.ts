/**
 * Rules of an app's media ledger: a file is recorded before it becomes visible, and only while
 * the app stays within its quota; a deletion gives the bytes back once.
 */
import { DomainError, type Decision } from '../../runtime/kind';
import { FILE_STORED, FILES_DELETED, type FileStoredData, type MediaEvent } from './events';
import type { MediaState } from './state';

/** Parley's media codes (docs/media.md): over the app's quota; a file key stored twice. */
export const MEDIA_CODES = { QUOTA: 91108, DUPLICATE: 91106 } as const;

export type MediaCommand =
  | { op: 'store'; file: FileStoredData; quotaBytes: number }
  | { op: 'delete'; fileKeys: string[]; reason: string; now: number }
  | { op: 'usage' };

export interface MediaReply {
  usedBytes: number;
  files: number;
  /** Files a delete removed from the ledger (absent ones are skipped). */
  deleted?: string[];
}

const reply = (s: MediaState, deleted?: string[]): MediaReply => ({ usedBytes: s.usedBytes, files: Object.keys(s.files).length, ...(deleted ? { deleted } : {}) });

export function decide(state: MediaState, command: MediaCommand): Decision<MediaEvent, MediaReply> {
  switch (command.op) {
    case 'store': {
      const { file, quotaBytes } = command;
      if (file.fileKey in state.files) throw new DomainError(MEDIA_CODES.DUPLICATE, `file ${file.fileKey} is already stored`);
      if (state.usedBytes + file.bytes > quotaBytes) {
        throw new DomainError(MEDIA_CODES.QUOTA, `the app's media quota of ${quotaBytes} bytes would be exceeded (${state.usedBytes} in use)`);
      }
      const after = { usedBytes: state.usedBytes + file.bytes, files: { ...state.files, [file.fileKey]: file.bytes } };
      return { events: [{ type: FILE_STORED, data: file }], reply: reply(after) };
    }
    case 'delete': {
      const fileKeys = [...new Set(command.fileKeys)].filter((k) => k in state.files);
      if (fileKeys.length === 0) return { events: [], reply: reply(state, []) };
      const freed = fileKeys.reduce((n, k) => n + state.files[k], 0);
      const files = { ...state.files };
      for (const k of fileKeys) delete files[k];
      return {
        events: [{ type: FILES_DELETED, data: { fileKeys, reason: command.reason, at: command.now } }],
        reply: reply({ usedBytes: state.usedBytes - freed, files }, fileKeys),
      };
    }
    case 'usage':
      return { events: [], reply: reply(state) };
    default: {
      const never: never = command;
      throw new Error(`unknown media command ${JSON.stringify(never)}`);
    }
  }
}
