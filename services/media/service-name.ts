/** The media service's name, for the calls of its client modules (./client.ts, ./references.ts, ./readers.ts). */
export const MEDIA_SERVICE = 'media';
