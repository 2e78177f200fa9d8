/**
 * The media store on an S3-compatible object store (clusters: every node reaches the same
 * bucket). Uses AWS's own client (@aws-sdk/client-s3). A PutObject is atomic at S3: an object
 * appears whole or not at all. Bodies stream with their exact Content-Length (the upload path
 * stages and checks a file first), so no object is held in memory.
 *
 * Checksums are asked for only when an operation requires them: the client's default since
 * 3.729 wraps streamed bodies in `aws-chunked` encoding with trailing checksums, which
 * S3-compatible servers (s3rver, older MinIO and Ceph) do not all accept.
 */
import { Transform, type Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BlobSizeError, checkBlobKey, type BlobInfo, type BlobRead, type BlobStore, type ByteRange } from '../../runtime/blobs';

export interface S3Options {
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
  /** Key prefix inside the bucket (tests share one bucket). Default none. */
  prefix?: string;
}

export class S3BlobStore implements BlobStore {
  private constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly prefix: string,
  ) {}

  /** Connects and makes the bucket if it does not exist yet (the operator may create it instead). */
  static async open(options: S3Options): Promise<S3BlobStore> {
    const credentials = options.accessKeyId && options.secretAccessKey ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey } : undefined;
    const client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    try {
      await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
    } catch (err) {
      if (!isNotFound(err)) {
        client.destroy();
        throw err;
      }
      await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
    }
    return new S3BlobStore(client, options.bucket, options.prefix ?? '');
  }

  async put(key: string, body: Readable, info: BlobInfo): Promise<void> {
    checkBlobKey(key);
    const guard = exactly(body, key, info.size);
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Body: guard.body, ContentLength: info.size, ContentType: info.contentType }),
        { abortSignal: guard.signal },
      );
    } catch (err) {
      throw guard.failure() ?? err;
    }
  }

  async get(key: string, range?: ByteRange): Promise<BlobRead | undefined> {
    checkBlobKey(key);
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      const size = range ? totalOf(out.ContentRange) ?? 0 : (out.ContentLength ?? 0);
      return { size, contentType: out.ContentType ?? 'application/octet-stream', body: out.Body as Readable };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async head(key: string): Promise<BlobInfo | undefined> {
    checkBlobKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
      return { size: out.ContentLength ?? 0, contentType: out.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async delete(keys: string[]): Promise<void> {
    keys.forEach(checkBlobKey);
    await Promise.all(keys.map((key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }))));
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404;
}

/** `bytes 0-99/1234` → 1234. */
function totalOf(contentRange: string | undefined): number | undefined {
  const m = /\/(\d+)$/.exec(contentRange ?? '');
  return m ? Number(m[1]) : undefined;
}

/**
 * The body, counted: a body with fewer or more bytes than announced, or one that fails, aborts
 * the request (a short one would otherwise hang the PUT until the server times out), and the
 * put rejects with that reason. The stream handed to the client itself never errors: the
 * client does not listen for errors on it.
 */
function exactly(body: Readable, key: string, size: number): { body: Readable; signal: AbortSignal; failure(): Error | undefined } {
  const abort = new AbortController();
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    abort.abort();
  };
  let got = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _enc, done) {
      got += chunk.length;
      if (got > size) fail(new BlobSizeError(key, size, got));
      done(null, failure ? undefined : chunk);
    },
    flush(done) {
      if (got !== size) fail(new BlobSizeError(key, size, got));
      done();
    },
  });
  body.on('error', fail);
  body.pipe(counted);
  return { body: counted, signal: abort.signal, failure: () => failure };
}
