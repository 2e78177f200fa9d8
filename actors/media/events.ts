/**
 * Events of an app's media ledger (schemas/media/*.avsc): which files it keeps, their bytes, and
 * which messages refer to them, so that a file goes when its last message goes.
 */
export const FILE_STORED = 'parley.media.FileStored';
export const FILES_DELETED = 'parley.media.FilesDeleted';
export const FILES_REFERENCED = 'parley.media.FilesReferenced';
export const REFERENCE_RENAMED = 'parley.media.ReferenceRenamed';
export const REFERENCES_RELEASED = 'parley.media.ReferencesReleased';
export const BLOBS_REMOVED = 'parley.media.BlobsRemoved';

export type MediaKindName = 'image' | 'audio' | 'video' | 'file';

export interface FileStoredData {
  fileKey: string;
  /** Bytes of the original and every rendition together. */
  bytes: number;
  kind: MediaKindName;
  /** Who uploaded it: a user id, or the administrator of a REST upload. */
  owner: string;
  at: number;
}

export interface FileStored {
  type: typeof FILE_STORED;
  data: FileStoredData;
}

export interface FilesDeleted {
  type: typeof FILES_DELETED;
  /**
   * reason: recalled, expired (past roaming retention), failed (an upload that did not finish),
   * admin, released (the last message holding them went). The files' objects are removed from
   * the store after this event; BlobsRemoved says when that is done.
   */
  data: { fileKeys: string[]; reason: string; at: number };
}

/**
 * A message (`ref`: `<conversation>#<seq>`, or `<conversation>#p<token>` while it is being sent)
 * carries these files. `time`: the message's time, unix seconds (for the roaming period).
 */
export interface FilesReferenced {
  type: typeof FILES_REFERENCED;
  data: { fileKeys: string[]; ref: string; time: number; at: number };
}

/** A message being sent got its sequence: the pending reference `from` is now `to`. */
export interface ReferenceRenamed {
  type: typeof REFERENCE_RENAMED;
  data: { from: string; to: string; time: number; at: number };
}

/** Messages went (recalled, erased, expired): they no longer hold their files. */
export interface ReferencesReleased {
  type: typeof REFERENCES_RELEASED;
  data: { refs: string[]; reason: string; at: number };
}

/** The objects of deleted files are gone from the store (a deletion is retried until this). */
export interface BlobsRemoved {
  type: typeof BLOBS_REMOVED;
  data: { fileKeys: string[]; at: number };
}

export type MediaEvent = FileStored | FilesDeleted | FilesReferenced | ReferenceRenamed | ReferencesReleased | BlobsRemoved;
