/**
 * The answers of the SDK's upload commands: a fresh file key with its upload URL (short-lived,
 * for the caller only) and the download URLs the message will carry (living as long as the
 * app's roaming retention), and the image sizes get_imageinfo reports after the upload.
 */
import type { ServiceBroker } from 'moleculer';
import type { MediaKindName } from '../../actors/media';
import { DomainError } from '../../runtime/kind';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { downloadExpiry, signingKeys } from './client';
import { blobKey, type StoredFile } from './ingest';
import { MEDIA_ERRORS } from './kinds';
import { downloadUrl, extensionOf, newFileKey, readDownloadTicket, uploadUrl } from './signing';

export interface SimpleSigBody {
  rpt_upload_object: { uint32_file_id?: number; uint32_file_type: number; str_file_name?: string }[];
}

export interface Tickets {
  fileKey: string;
  uploadUrl: string;
  uploadExpires: number;
  downloadUrl: string;
  thumbUrl?: string;
  largeUrl?: string;
}

export function ticketsFor(broker: ServiceBroker, app: number, owner: string, kind: MediaKindName, fileName?: string, durationSec?: number): Tickets {
  const { config } = runtimeOf(broker);
  const key = signingKeys(broker)(app);
  if (!key) throw new DomainError(MEDIA_ERRORS.INTERNAL, `app ${app} is not served here`);
  const now = Math.floor(Date.now() / 1000);
  const fileKey = newFileKey();
  const uploadExpires = now + Math.min(durationSec ?? config.media.uploadUrlSec, config.media.uploadUrlSec);
  const expires = downloadExpiry(broker, app);
  const base = config.ops.publicUrl;
  const url = (variant: 'o' | 'l' | 't') => downloadUrl(base, key, { app, fileKey, variant, expires });
  return {
    fileKey,
    uploadExpires,
    uploadUrl: uploadUrl(base, key, { app, fileKey, kind, owner, ext: extensionOf(fileName), expires: uploadExpires }),
    downloadUrl: url('o'),
    ...(kind === 'image' ? { thumbUrl: url('t'), largeUrl: url('l') } : {}),
  };
}

/** get_imageinfo: thumbnail (1), large (2) and original (3), as Tencent's image service numbers them for the SDK. */
export async function imageInfo(broker: ServiceBroker, app: number, imageUrl: string) {
  let parsed: URL;
  try {
    parsed = new URL(imageUrl);
  } catch {
    throw new DomainError(MEDIA_ERRORS.BAD_REQUEST, 'str_image_url is no URL');
  }
  const { verdict, ticket } = readDownloadTicket(signingKeys(broker), parsed.pathname, parsed.searchParams, Math.floor(Date.now() / 1000));
  if (verdict === 'bad' || !ticket || ticket.app !== app) throw new DomainError(MEDIA_ERRORS.BAD_SIGNATURE, 'str_image_url is not a media URL of this app');
  if (verdict === 'expired') throw new DomainError(MEDIA_ERRORS.EXPIRED, 'the media URL has expired');
  const meta = await readMeta(broker, app, ticket.fileKey);
  if (!meta || meta.kind !== 'image') throw new DomainError(MEDIA_ERRORS.NOT_FOUND, 'no such image');
  const key = signingKeys(broker)(app)!;
  const base = runtimeOf(broker).config.ops.publicUrl;
  const format = meta.mime.replace('image/', '');
  return ([['t', 1], ['l', 2], ['o', 3]] as const).map(([variant, type]) => ({
    uint32_image_type: type,
    str_url: downloadUrl(base, key, { app, fileKey: meta.fileKey, variant, expires: ticket.expires }),
    uint32_width: meta.variants[variant]?.width ?? 0,
    uint32_height: meta.variants[variant]?.height ?? 0,
    str_image_format: format,
  }));
}

export async function readMeta(broker: ServiceBroker, app: number, fileKey: string): Promise<StoredFile | undefined> {
  const blobs = await runtimeOf(broker).blobs();
  const got = await blobs.get(blobKey(app, fileKey, 'meta'));
  if (!got) return undefined;
  const chunks: Buffer[] = [];
  for await (const c of got.body) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as StoredFile;
}
