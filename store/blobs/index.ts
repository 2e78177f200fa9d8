/** Opens the media store the configuration asks for: files under PARLEY_MEDIA_DIR, or S3. */
import type { ParleyConfig } from '../../config';
import type { BlobStore } from '../../runtime/blobs';
import { FsBlobStore } from './fs';
import { S3BlobStore } from './s3';

export { FsBlobStore } from './fs';
export { S3BlobStore, type S3Options } from './s3';

export function openBlobStore(config: ParleyConfig): Promise<BlobStore> {
  return config.media.store === 's3' ? S3BlobStore.open(config.media.s3) : FsBlobStore.open(config.media.dir);
}
