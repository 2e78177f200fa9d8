/** Events of an app's media ledger (schemas/media/*.avsc): which files it keeps, and their bytes. */
export const FILE_STORED = 'parley.media.FileStored';
export const FILES_DELETED = 'parley.media.FilesDeleted';

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
  /** reason: recalled, expired (past roaming retention), failed (an upload that did not finish), admin. */
  data: { fileKeys: string[]; reason: string; at: number };
}

export type MediaEvent = FileStored | FilesDeleted;
