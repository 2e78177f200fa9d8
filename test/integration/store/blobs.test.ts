/** The media-store contract on the file system and on a real S3-compatible server (s3rver). */
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FsBlobStore, S3BlobStore } from '../../../store/blobs';
import { startS3, type S3Server } from '../../support/s3';
import { blobStoreContract } from './blobs-contract';

let dir = '';
blobStoreContract('the file system', {
  async open() {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'parley-media-'));
    return FsBlobStore.open(dir);
  },
  cleanup: () => fs.rm(dir, { recursive: true, force: true }),
});

describe('S3-compatible server for the media store', () => {
  let s3: S3Server;
  before(async () => (s3 = await startS3()));
  after(async () => s3?.stop());

  blobStoreContract('S3 (s3rver)', {
    open: () =>
      S3BlobStore.open({
        endpoint: s3.endpoint,
        region: 'us-east-1',
        bucket: 'parley-media',
        accessKeyId: s3.accessKeyId,
        secretAccessKey: s3.secretAccessKey,
        forcePathStyle: true,
        prefix: `${crypto.randomBytes(4).toString('hex')}/`,
      }),
  });
});
