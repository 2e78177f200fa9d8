/**
 * What each kind of media accepts, decided by the bytes (file-type's magic numbers), never by
 * the file name or the Content-Type a client claims; Parley's media error codes.
 */
import type { MediaKindName } from '../../actors/media';

/** The SDK's file_type of im_cos_msg.pre_sig (bundle: `_setUploadFileType`). */
export const FILE_TYPES: Record<number, MediaKindName> = { 1: 'image', 2: 'video', 3: 'audio', 255: 'file' };
export const FILE_TYPE_OF: Record<MediaKindName, number> = { image: 1, video: 2, audio: 3, file: 255 };

/** Parley's codes for media refusals (Tencent defines none for a self-hosted store); docs/media.md. */
export const MEDIA_ERRORS = {
  BAD_REQUEST: 91100,
  BAD_SIGNATURE: 91101,
  EXPIRED: 91102,
  TOO_LARGE: 91103,
  WRONG_CONTENT: 91104,
  TRUNCATED: 91105,
  ALREADY_UPLOADED: 91106,
  NOT_FOUND: 91107,
  QUOTA: 91108,
  BAD_RANGE: 91109,
  NOT_A_READER: 91110,
  INTERNAL: 91199,
} as const;

/** HTTP status of each refusal, for the upload and download routes. */
export const HTTP_STATUS: Record<number, number> = {
  [MEDIA_ERRORS.BAD_REQUEST]: 400,
  [MEDIA_ERRORS.BAD_SIGNATURE]: 403,
  [MEDIA_ERRORS.EXPIRED]: 410,
  [MEDIA_ERRORS.TOO_LARGE]: 413,
  [MEDIA_ERRORS.WRONG_CONTENT]: 415,
  [MEDIA_ERRORS.TRUNCATED]: 400,
  [MEDIA_ERRORS.ALREADY_UPLOADED]: 409,
  [MEDIA_ERRORS.NOT_FOUND]: 404,
  [MEDIA_ERRORS.QUOTA]: 507,
  [MEDIA_ERRORS.BAD_RANGE]: 416,
  [MEDIA_ERRORS.NOT_A_READER]: 403,
  [MEDIA_ERRORS.INTERNAL]: 500,
};

export class MediaRefusal extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Images sharp decodes and makes renditions of; others (BMP, HEIC, TIFF) are kept as sent. */
const RENDERED_IMAGES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'image/avif']);
const OTHER_IMAGES = new Set(['image/bmp', 'image/heic', 'image/heif', 'image/tiff']);
/** Containers browsers and phones record sound in; file-type names some of them video/. */
const AUDIO_CONTAINERS = new Set(['video/mp4', 'video/webm', 'application/ogg']);

export interface Sniffed {
  mime: string;
  ext: string;
}

/** Whether bytes of type `sniffed` may be kept as `kind`; files take anything. */
export function accepts(kind: MediaKindName, sniffed: Sniffed | undefined): boolean {
  if (kind === 'file') return true;
  if (!sniffed) return false;
  const { mime } = sniffed;
  switch (kind) {
    case 'image':
      return RENDERED_IMAGES.has(mime) || OTHER_IMAGES.has(mime);
    case 'audio':
      return mime.startsWith('audio/') || AUDIO_CONTAINERS.has(mime);
    case 'video':
      return mime.startsWith('video/');
  }
}

export const hasRenditions = (mime: string) => RENDERED_IMAGES.has(mime);

/** TIMImageElem's ImageFormat: JPG 1, GIF 2, PNG 3, BMP 4, others 255 (seed). */
export function imageFormatOf(mime: string): number {
  return ({ 'image/jpeg': 1, 'image/gif': 2, 'image/png': 3, 'image/bmp': 4 } as Record<string, number>)[mime] ?? 255;
}

/**
 * What a download is served as. Files (whatever their bytes) and anything not plainly media
 * go out as an attachment of type octet-stream, so nothing uploaded ever renders as a page
 * of Parley's origin.
 */
export function servedAs(kind: MediaKindName, mime: string): { contentType: string; attachment: boolean } {
  if (kind === 'file' || !/^(image|audio|video)\//.test(mime) || mime === 'image/svg+xml') return { contentType: 'application/octet-stream', attachment: true };
  return { contentType: mime, attachment: false };
}
