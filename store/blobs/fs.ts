/**
 * The media store on the local file system (embedded mode): `<root>/data/<key>` holds the
 * bytes, `<root>/meta/<key>.json` the content type. A put writes a temporary file under
 * `<root>/incoming/`, checks its length, flushes it to disk and renames it into place, so a
 * reader sees the old object or the complete new one and a crash leaves only a stray file in
 * incoming/ (removed when the store opens).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobSizeError, checkBlobKey, type BlobInfo, type BlobRead, type BlobStore, type ByteRange } from '../../runtime/blobs';

export class FsBlobStore implements BlobStore {
  private constructor(private readonly root: string) {}

  static async open(root: string): Promise<FsBlobStore> {
    await fs.rm(path.join(root, 'incoming'), { recursive: true, force: true });
    for (const dir of ['data', 'meta', 'incoming']) await fs.mkdir(path.join(root, dir), { recursive: true, mode: 0o700 });
    return new FsBlobStore(root);
  }

  async put(key: string, body: Readable, info: BlobInfo): Promise<void> {
    checkBlobKey(key);
    const tmp = path.join(this.root, 'incoming', crypto.randomBytes(12).toString('hex'));
    try {
      let got = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          got += chunk.length;
          done(got > info.size ? new BlobSizeError(key, info.size, got) : null, chunk);
        },
      });
      await pipeline(body, counter, createWriteStream(tmp, { mode: 0o600 }));
      if (got !== info.size) throw new BlobSizeError(key, info.size, got);
      await syncFile(tmp);
      await this.placeMeta(key, info);
      await fs.mkdir(path.dirname(this.dataPath(key)), { recursive: true });
      await fs.rename(tmp, this.dataPath(key));
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  /**
   * Moves a staging file into place instead of copying it: one write of the bytes per upload,
   * not two (measured: uploads ran at 0.42–0.70 of a bare server that writes them once). A
   * staging file on another file system is copied through put().
   */
  async putFile(key: string, file: string, info: BlobInfo): Promise<void> {
    checkBlobKey(key);
    const { size } = await fs.stat(file);
    if (size !== info.size) throw new BlobSizeError(key, info.size, size);
    await syncFile(file);
    await this.placeMeta(key, info);
    await fs.mkdir(path.dirname(this.dataPath(key)), { recursive: true });
    try {
      await fs.rename(file, this.dataPath(key));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await this.put(key, createReadStream(file), info);
    }
  }

  async get(key: string, range?: ByteRange): Promise<BlobRead | undefined> {
    const info = await this.head(key);
    if (!info) return undefined;
    const body = createReadStream(this.dataPath(key), range ? { start: range.start, end: range.end } : {});
    return { ...info, body };
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    checkBlobKey(key);
    try {
      const [stat, meta] = await Promise.all([fs.stat(this.dataPath(key)), fs.readFile(this.metaPath(key), 'utf8')]);
      return { size: stat.size, contentType: (JSON.parse(meta) as { contentType: string }).contentType };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) {
      checkBlobKey(key);
      await fs.rm(this.dataPath(key), { force: true });
      await fs.rm(this.metaPath(key), { force: true });
    }
  }

  async close(): Promise<void> {}

  private dataPath = (key: string) => path.join(this.root, 'data', ...key.split('/'));
  private metaPath = (key: string) => `${path.join(this.root, 'meta', ...key.split('/'))}.json`;

  private async placeMeta(key: string, info: BlobInfo): Promise<void> {
    const file = this.metaPath(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const tmp = path.join(this.root, 'incoming', `${crypto.randomBytes(12).toString('hex')}.json`);
    await fs.writeFile(tmp, JSON.stringify({ contentType: info.contentType }), { mode: 0o600 });
    await fs.rename(tmp, file);
  }
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
