import { jsonSnapshot, type ActorKind } from '../../runtime/kind';
import { decide, type MediaCommand, type MediaReply } from './decide';
import type { MediaEvent } from './events';
import { evolve, initialState, type MediaState } from './state';

export * from './decide';
export * from './events';
export { conversationOfRef, type MediaState } from './state';

/**
 * An app's media ledger, key `<sdkAppId>`: the files the app keeps and their bytes, so the
 * per-app quota holds across nodes (one activation decides, in order) and a deletion is
 * counted once. The bytes themselves live in the media store (runtime/blobs.ts).
 */
export const mediaKind: ActorKind<MediaState, MediaCommand, MediaEvent, MediaReply> = {
  name: 'media',
  initialState,
  decide,
  evolve,
  snapshot: jsonSnapshot<MediaState>('media.v2'),
  snapshotWeight: (s) => Object.keys(s.files).length,
};

export const mediaKey = (sdkAppId: number) => String(sdkAppId);
