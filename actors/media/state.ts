import { BLOBS_REMOVED, FILE_STORED, FILES_DELETED, FILES_REFERENCED, REFERENCE_RENAMED, REFERENCES_RELEASED, type MediaEvent } from './events';

export interface MediaState {
  /** Bytes the app keeps, all files together. */
  usedBytes: number;
  /** fileKey → bytes: what deletion gives back, and why a deletion counts once. */
  files: Record<string, number>;
  /** fileKey → when it was stored (ms): a file no message ever held goes at the end of the roaming period. */
  born: Record<string, number>;
  /** fileKey → who uploaded it (the reader check lets the uploader read it always). */
  owners: Record<string, string>;
  /** fileKey → the messages holding it (ref → message time, s). A file is shared when a message is forwarded or sent to many. */
  refs: Record<string, Record<string, number>>;
  /** ref → the files it holds, to release a message without scanning every file. */
  held: Record<string, string[]>;
  /** Deleted files whose objects may still be in the store: removed (again) until BlobsRemoved. */
  doomed: string[];
}

export const initialState = (): MediaState => ({ usedBytes: 0, files: {}, born: {}, owners: {}, refs: {}, held: {}, doomed: [] });

/** The conversation part of a reference (`c2c:<a>|<b>`, `group:<id>`, `group:<id>/<topic>`). */
export const conversationOfRef = (ref: string) => ref.slice(0, ref.lastIndexOf('#'));

/**
 * Applies one event. The maps are updated in place (the host hands each state to evolve once
 * and keeps only the result; copying a ledger of many files per event would be quadratic);
 * decide never mutates.
 */
export function evolve(state: MediaState, event: MediaEvent): MediaState {
  switch (event.type) {
    case FILE_STORED: {
      const { fileKey, bytes, at, owner } = event.data;
      state.usedBytes += bytes - (state.files[fileKey] ?? 0);
      state.files[fileKey] = bytes;
      state.born[fileKey] = at;
      state.owners[fileKey] = owner;
      return state;
    }
    case FILES_DELETED: {
      for (const key of event.data.fileKeys) {
        if (!(key in state.files)) continue;
        state.usedBytes -= state.files[key];
        delete state.files[key];
        delete state.born[key];
        delete state.owners[key];
        for (const ref of Object.keys(state.refs[key] ?? {})) unhold(state, ref, key);
        delete state.refs[key];
        if (!state.doomed.includes(key)) state.doomed.push(key);
      }
      return state;
    }
    case FILES_REFERENCED: {
      const { ref, time } = event.data;
      for (const key of event.data.fileKeys) {
        if (!(key in state.files)) continue;
        (state.refs[key] ??= {})[ref] = time;
        const held = (state.held[ref] ??= []);
        if (!held.includes(key)) held.push(key);
      }
      return state;
    }
    case REFERENCE_RENAMED: {
      const { from, to, time } = event.data;
      for (const key of state.held[from] ?? []) {
        const refs = state.refs[key];
        if (!refs) continue;
        delete refs[from];
        refs[to] = time;
        const held = (state.held[to] ??= []);
        if (!held.includes(key)) held.push(key);
      }
      delete state.held[from];
      return state;
    }
    case REFERENCES_RELEASED: {
      for (const ref of event.data.refs) {
        for (const key of state.held[ref] ?? []) delete state.refs[key]?.[ref];
        delete state.held[ref];
      }
      return state;
    }
    case BLOBS_REMOVED: {
      const gone = new Set(event.data.fileKeys);
      state.doomed = state.doomed.filter((k) => !gone.has(k));
      return state;
    }
  }
  return state;
}

function unhold(state: MediaState, ref: string, key: string): void {
  const held = state.held[ref]?.filter((k) => k !== key);
  if (held && held.length > 0) state.held[ref] = held;
  else delete state.held[ref];
}
