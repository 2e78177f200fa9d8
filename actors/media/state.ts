import { FILE_STORED, FILES_DELETED, type MediaEvent } from './events';

export interface MediaState {
  /** Bytes the app keeps, all files together. */
  usedBytes: number;
  /** fileKey → bytes: what deletion gives back, and why a deletion counts once. */
  files: Record<string, number>;
}

export const initialState = (): MediaState => ({ usedBytes: 0, files: {} });

export function evolve(state: MediaState, event: MediaEvent): MediaState {
  switch (event.type) {
    case FILE_STORED:
      return { usedBytes: state.usedBytes + event.data.bytes, files: { ...state.files, [event.data.fileKey]: event.data.bytes } };
    case FILES_DELETED: {
      const files = { ...state.files };
      let usedBytes = state.usedBytes;
      for (const key of event.data.fileKeys) {
        usedBytes -= files[key] ?? 0;
        delete files[key];
      }
      return { usedBytes, files };
    }
  }
  return state;
}
