/**
 * Media limits of an app (services/media, docs/media.md): the largest upload of each type and
 * the bytes the app may keep, in MB as the node's PARLEY_MEDIA_MAX_*_MB and PARLEY_MEDIA_QUOTA_MB
 * settings, which are the defaults. A field left out, or set to null, takes the node's value:
 * an app stores only what its operator chose, and a node's new defaults reach every app that
 * chose nothing.
 */

/** The media types (actors/media's MediaKindName, named again: settings import no other actor). */
export type MediaKindName = 'image' | 'audio' | 'video' | 'file';

export interface MediaSettings {
  /** Largest image, MB. Default PARLEY_MEDIA_MAX_IMAGE_MB (28). */
  maxImageMb?: number | null;
  /** Largest sound, MB. Default PARLEY_MEDIA_MAX_AUDIO_MB (28). */
  maxAudioMb?: number | null;
  /** Largest video, MB. Default PARLEY_MEDIA_MAX_VIDEO_MB (100). */
  maxVideoMb?: number | null;
  /** Largest file, MB. Default PARLEY_MEDIA_MAX_FILE_MB (100). */
  maxFileMb?: number | null;
  /** Media bytes the app may keep, MB. Default PARLEY_MEDIA_QUOTA_MB (10,240). */
  quotaMb?: number | null;
}

/** Limits in bytes, as the node's configuration holds them and the upload routes apply them. */
export interface MediaLimits {
  maxBytes: Record<MediaKindName, number>;
  quotaBytes: number;
}

const MB = 1024 * 1024;

/** One upload of at most 10 GiB; a quota of at most 1 PiB: beyond, a typing slip rather than a choice. */
const MAX_UPLOAD_MB = 10_240;
const MAX_QUOTA_MB = 1024 * 1024 * 1024;

const FIELD_OF: Record<MediaKindName, keyof MediaSettings> = { image: 'maxImageMb', audio: 'maxAudioMb', video: 'maxVideoMb', file: 'maxFileMb' };

/** The app's limits: each field it set, the node's `defaults` for the others. */
export function mediaLimits(settings: { media?: MediaSettings }, defaults: MediaLimits): MediaLimits {
  const m = settings.media ?? {};
  const bytes = (mb: number | null | undefined, fallback: number) => (typeof mb === 'number' ? mb * MB : fallback);
  const maxBytes = { ...defaults.maxBytes };
  for (const kind of Object.keys(FIELD_OF) as MediaKindName[]) maxBytes[kind] = bytes(m[FIELD_OF[kind]], defaults.maxBytes[kind]);
  return { maxBytes, quotaBytes: bytes(m.quotaMb, defaults.quotaBytes) };
}

/** The section as the console shows it: every field, in MB, the node's value where the app set none (rounded up to a whole MB). */
export function mediaSection(settings: { media?: MediaSettings }, defaults: MediaLimits): Required<{ [K in keyof MediaSettings]: number }> {
  const l = mediaLimits(settings, defaults);
  const mb = (bytes: number) => Math.ceil(bytes / MB);
  return { maxImageMb: mb(l.maxBytes.image), maxAudioMb: mb(l.maxBytes.audio), maxVideoMb: mb(l.maxBytes.video), maxFileMb: mb(l.maxBytes.file), quotaMb: mb(l.quotaBytes) };
}

const upload = { type: 'number', integer: true, min: 1, max: MAX_UPLOAD_MB, optional: true, nullable: true };

/** fastest-validator rule of the section: whole MB, at least 1; null = the node's value. */
export const MEDIA_RULE = {
  type: 'object',
  strict: true,
  props: {
    maxImageMb: upload,
    maxAudioMb: upload,
    maxVideoMb: upload,
    maxFileMb: upload,
    quotaMb: { type: 'number', integer: true, min: 1, max: MAX_QUOTA_MB, optional: true, nullable: true },
  },
};
