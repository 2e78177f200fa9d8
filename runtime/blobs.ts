/**
 * The media store port: named byte objects (an uploaded file and its renditions), like the
 * event log's port a narrow interface with one contract suite run on every adapter
 * (test/integration/store/blobs-contract.ts). Adapters: files under a folder (store/blobs/fs.ts,
 * embedded mode) and an S3-compatible object store (store/blobs/s3.ts, clusters).
 *
 * Every put is all-or-nothing: an object is either absent or complete, never half-written, so
 * whatever a reader finds under a key can be served.
 */
import type { Readable } from 'node:stream';

export interface BlobInfo {
  /** Bytes. */
  size: number;
  /** MIME type the object is served with. */
  contentType: string;
}

/** Inclusive byte range, as HTTP's `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobRead extends BlobInfo {
  /** The whole object, or the asked range of it. */
  body: Readable;
}

export interface BlobStore {
  /**
   * Stores `body` under `key`, replacing what was there. `info.size` is the exact length of the
   * body: a shorter or longer body fails the put and leaves the key as it was.
   */
  put(key: string, body: Readable, info: BlobInfo): Promise<void>;
  /**
   * Optional: stores the file at `file` (a staging file on this node) under `key`, taking it
   * over: the file may be moved instead of copied. A size other than `info.size` fails the put
   * and leaves the key as it was. Adapters without it are given a stream of the file (put).
   */
  putFile?(key: string, file: string, info: BlobInfo): Promise<void>;
  /** The object (or a range of it), or undefined if there is none. */
  get(key: string, range?: ByteRange): Promise<BlobRead | undefined>;
  head(key: string): Promise<BlobInfo | undefined>;
  /** Removes the objects; absent keys are no error. */
  delete(keys: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Keys are `/`-separated segments of letters, digits, `_`, `-` and `.` (never `.` or `..` alone):
 * what Parley makes itself, checked again here so no adapter ever sees a path trick.
 */
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9_.-]{1,128}$/;

export function checkBlobKey(key: string): void {
  const parts = key.split('/');
  if (key.length > 512 || parts.length > 8 || !parts.every((p) => SEGMENT.test(p))) throw new Error(`invalid blob key ${JSON.stringify(key.slice(0, 80))}`);
}

/** A body that ended before (or went past) the size announced for it. */
export class BlobSizeError extends Error {
  readonly code = 'BLOB_SIZE';
  constructor(key: string, want: number, got: number) {
    super(`object ${key}: expected ${want} bytes, got ${got}`);
  }
}
