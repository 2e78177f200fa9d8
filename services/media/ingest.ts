/**
 * One upload, from request bytes to a stored file, in an order that never lets anything
 * half-done be referenced:
 *   1. stream the body to a staging file, counting (over the kind's limit: refused as soon as
 *      it is passed) and hashing (MD5: the UUID the seed suggests);
 *   2. sniff the bytes (file-type) and refuse content that is not of the ticket's kind;
 *   3. images: read their size and make the large and thumbnail renditions (sharp);
 *   4. record the file in the app's ledger (actors/media: the quota is checked there);
 *   5. put the original and renditions in the media store, then the meta object last: it is
 *      the commit mark, and downloads serve only files that have one.
 * A failure after 4 removes what was put and gives the bytes back to the quota.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileTypeFromFile } from 'file-type';
import sharp, { type Sharp } from 'sharp';
import type { MediaKindName } from '../../actors/media';
import type { BlobStore } from '../../runtime/blobs';
import { accepts, hasRenditions, MEDIA_ERRORS, MediaRefusal } from './kinds';
import type { Variant } from './signing';

export interface Rendition {
  size: number;
  width: number;
  height: number;
}

/** The meta object of a stored file (`<app>/<fileKey>/meta`). */
export interface StoredFile {
  fileKey: string;
  kind: MediaKindName;
  mime: string;
  ext: string;
  owner: string;
  at: number;
  /** Bytes of the original. */
  size: number;
  md5: string;
  /** Original, and for images the large and thumbnail renditions (the original again where none could be made). */
  variants: Partial<Record<Variant, Rendition>>;
}

export interface Upload {
  app: number;
  fileKey: string;
  kind: MediaKindName;
  owner: string;
  ext: string;
  maxBytes: number;
}

export interface Ledger {
  record(app: number, file: StoredFile, bytes: number): Promise<void>;
  forget(app: number, fileKeys: string[], reason: string): Promise<void>;
}

/** Shorter side of the large and thumbnail renditions, pixels: what the SDK's own fallback asks Tencent's image service for. */
const LARGE_SIDE = 720;
const THUMB_SIDE = 198;
/** Decoding bombs: sharp refuses images with more pixels than this (about 16k × 16k). */
const MAX_PIXELS = 268_402_689;

export const blobKey = (app: number, fileKey: string, part: Variant | 'meta') => `${app}/${fileKey}/${part}`;

export async function ingest(body: Readable, u: Upload, deps: { blobs: BlobStore; ledger: Ledger; tmpDir: string }): Promise<StoredFile> {
  await fs.mkdir(deps.tmpDir, { recursive: true, mode: 0o700 });
  const base = path.join(deps.tmpDir, `${u.fileKey}-${crypto.randomBytes(4).toString('hex')}`);
  const made: string[] = [];
  try {
    const { size, md5 } = await stage(body, base, u.maxBytes);
    if (size === 0) throw new MediaRefusal(MEDIA_ERRORS.TRUNCATED, 'the upload is empty');
    const sniffed = await fileTypeFromFile(base);
    if (!accepts(u.kind, sniffed)) {
      throw new MediaRefusal(MEDIA_ERRORS.WRONG_CONTENT, `the bytes are ${sniffed?.mime ?? 'of no known type'}, not ${u.kind === 'image' ? 'an' : 'a'} ${u.kind}`);
    }
    const mime = sniffed?.mime ?? 'application/octet-stream';
    const file: StoredFile = { fileKey: u.fileKey, kind: u.kind, mime, ext: u.ext || (u.kind === 'file' ? '' : (sniffed?.ext ?? '')), owner: u.owner, at: Date.now(), size, md5, variants: { o: { size, width: 0, height: 0 } } };
    const parts: [Variant, string][] = [['o', base]];
    if (u.kind === 'image') await render(base, mime, file, parts, made);
    const bytes = parts.reduce((n, [v]) => n + file.variants[v]!.size, 0);
    await deps.ledger.record(u.app, file, bytes);
    try {
      for (const [variant, source] of parts) {
        const info = file.variants[variant]!;
        const key = blobKey(u.app, u.fileKey, variant);
        const stored = { size: info.size, contentType: variant === 'o' ? mime : renditionMime(mime) };
        // A store that can take the staged file over moves it rather than copying the bytes again.
        await (deps.blobs.putFile ? deps.blobs.putFile(key, source, stored) : deps.blobs.put(key, createReadStream(source), stored));
      }
      const meta = Buffer.from(JSON.stringify(file));
      await deps.blobs.put(blobKey(u.app, u.fileKey, 'meta'), Readable.from([meta]), { size: meta.length, contentType: 'application/json' });
    } catch (err) {
      await deps.blobs.delete(['o', 'l', 't', 'meta'].map((p) => blobKey(u.app, u.fileKey, p as Variant))).catch(() => undefined);
      await deps.ledger.forget(u.app, [u.fileKey], 'failed').catch(() => undefined);
      throw err;
    }
    return file;
  } finally {
    await Promise.all([base, ...made].map((f) => fs.rm(f, { force: true })));
  }
}

async function stage(body: Readable, file: string, maxBytes: number): Promise<{ size: number; md5: string }> {
  const hash = crypto.createHash('md5');
  let size = 0;
  const limit = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new MediaRefusal(MEDIA_ERRORS.TOO_LARGE, `the file is larger than ${maxBytes} bytes, the app's limit for its type`));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, limit, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    if (err instanceof MediaRefusal) throw err;
    throw new MediaRefusal(MEDIA_ERRORS.TRUNCATED, 'the upload ended before all its bytes arrived');
  }
  return { size, md5: hash.digest('hex') };
}

/** Sizes of the image and its renditions; an image sharp cannot decode is refused as no image. */
async function render(source: string, mime: string, file: StoredFile, parts: [Variant, string][], made: string[]): Promise<void> {
  try {
    const meta = await sharp(source, { limitInputPixels: MAX_PIXELS }).metadata();
    const turned = (meta.orientation ?? 1) >= 5;
    const width = (turned ? meta.height : meta.width) ?? 0;
    const height = (turned ? meta.width : meta.height) ?? 0;
    file.variants.o = { size: file.size, width, height };
    if (!hasRenditions(mime) || width === 0 || height === 0) {
      file.variants.l = file.variants.t = file.variants.o;
      return;
    }
    for (const [variant, side] of [['l', LARGE_SIDE], ['t', THUMB_SIDE]] as const) {
      const out = `${source}.${variant}`;
      made.push(out);
      const fit = width <= height ? { width: side } : { height: side };
      const info = await encode(sharp(source, { limitInputPixels: MAX_PIXELS }).rotate().resize({ ...fit, withoutEnlargement: true }), mime).toFile(out);
      file.variants[variant] = { size: info.size, width: info.width, height: info.height };
      parts.push([variant, out]);
    }
  } catch (err) {
    throw new MediaRefusal(MEDIA_ERRORS.WRONG_CONTENT, `the image cannot be decoded: ${(err as Error).message}`);
  }
}

/** Renditions keep PNG and WebP (transparency), everything else becomes JPEG. */
const renditionMime = (mime: string) => (mime === 'image/png' || mime === 'image/gif' ? 'image/png' : mime === 'image/webp' ? 'image/webp' : 'image/jpeg');

function encode(img: Sharp, mime: string): Sharp {
  const out = renditionMime(mime);
  return out === 'image/png' ? img.png() : out === 'image/webp' ? img.webp({ quality: 80 }) : img.jpeg({ quality: 80, mozjpeg: false });
}
