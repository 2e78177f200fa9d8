/**
 * The REST upload for app backends (docs/media.md):
 *   POST /v4/parley_media/upload?sdkappid&identifier&usersig&random&type=image|audio|video|file
 *        [&name=<file name>][&second=<duration s>][&thumb=<FileKey of an uploaded image, for a video>]
 *   body: the file's bytes (any Content-Type; the bytes are sniffed)
 * Checked like every /v4 call (app administrator, UserSig) and answered the same way: HTTP 200
 * and Tencent's envelope, carrying `MsgBody`, one element ready for openim/sendmsg or
 * group_open_http_svc/send_group_msg, in the seed's element formats.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ServiceBroker } from 'moleculer';
import type { MediaKindName } from '../../actors/media';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import type { AppDirectory } from '../apps/registry';
import type { SigVerifier } from '../auth/verifier';
import { fail, newRequestId, ok } from '../commands/envelope';
import { adminCredentials, authenticateAdmin, Refusal } from '../rest/admin-auth';
import { downloadExpiry, ledgerOf, signingKeys } from './client';
import { ingest, type StoredFile } from './ingest';
import { imageFormatOf, MEDIA_ERRORS, MediaRefusal } from './kinds';
import { limitsOf } from './limits';
import { downloadUrl, extensionOf, FILE_KEY, newFileKey, type Variant } from './signing';
import { readMeta } from './tickets';

const KINDS = ['image', 'audio', 'video', 'file'];

export async function restUpload(broker: ServiceBroker, apps: AppDirectory, verifier: SigVerifier, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const requestId = newRequestId();
  let envelope: object;
  try {
    if (req.method !== 'POST') throw new Refusal(60002, 'only POST is served');
    const q = Object.fromEntries(url.searchParams);
    const { app, identifier } = await authenticateAdmin(apps, verifier, adminCredentials(q, 'the URL'));
    const kind = q.type as MediaKindName;
    if (!KINDS.includes(kind)) throw new MediaRefusal(MEDIA_ERRORS.BAD_REQUEST, 'type must be image, audio, video or file');
    const second = q.second === undefined ? 0 : Number(q.second);
    if (!Number.isInteger(second) || second < 0) throw new MediaRefusal(MEDIA_ERRORS.BAD_REQUEST, 'second must be a whole number of seconds');
    if (q.thumb !== undefined && (kind !== 'video' || !FILE_KEY.test(q.thumb))) throw new MediaRefusal(MEDIA_ERRORS.BAD_REQUEST, 'thumb is the FileKey of an uploaded image, for a video');
    const name = (q.name ?? '').slice(0, 256);
    const { config } = runtimeOf(broker);
    const maxBytes = limitsOf(broker, app.sdkAppId).maxBytes[kind];
    if (Number(req.headers['content-length'] ?? NaN) > maxBytes) throw new MediaRefusal(MEDIA_ERRORS.TOO_LARGE, `the file is larger than ${maxBytes} bytes, the app's limit for its type`);
    const thumb = q.thumb ? await readMeta(broker, app.sdkAppId, q.thumb) : undefined;
    if (q.thumb && thumb?.kind !== 'image') throw new MediaRefusal(MEDIA_ERRORS.NOT_FOUND, 'thumb names no uploaded image');
    const blobs = await runtimeOf(broker).blobs();
    const file = await ingest(req, { app: app.sdkAppId, fileKey: newFileKey(), kind, owner: identifier, ext: extensionOf(name), maxBytes }, { blobs, ledger: ledgerOf(broker), tmpDir: config.media.tmpDir });
    const links = linker(broker, app.sdkAppId);
    envelope = ok(requestId, { FileKey: file.fileKey, MsgBody: [elementOf(file, links, name, second, thumb)] }, false);
  } catch (err) {
    envelope = refusalEnvelope(broker, requestId, err);
  }
  if (!req.complete) res.setHeader('Connection', 'close');
  const text = JSON.stringify(envelope);
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
  if (!req.complete) res.on('finish', () => req.destroy());
}

type Links = (file: StoredFile, variant: Variant) => string;

function linker(broker: ServiceBroker, app: number): Links {
  const key = signingKeys(broker)(app)!;
  const expires = downloadExpiry(broker, app);
  const base = runtimeOf(broker).config.ops.publicUrl;
  return (file, variant) => downloadUrl(base, key, { app, fileKey: file.fileKey, variant, expires });
}

/** The message element of a stored file, as the seed describes TIMImageElem, TIMSoundElem, TIMVideoFileElem and TIMFileElem. */
export function elementOf(file: StoredFile, url: Links, name: string, second: number, thumb?: StoredFile): object {
  switch (file.kind) {
    case 'image':
      return {
        MsgType: 'TIMImageElem',
        MsgContent: {
          UUID: file.md5,
          ImageFormat: imageFormatOf(file.mime),
          ImageInfoArray: ([['o', 1], ['l', 2], ['t', 3]] as const).map(([v, Type]) => {
            const r = file.variants[v] ?? file.variants.o!;
            return { Type, Size: r.size, Width: r.width, Height: r.height, URL: url(file, v) };
          }),
        },
      };
    case 'audio':
      return { MsgType: 'TIMSoundElem', MsgContent: { Url: url(file, 'o'), UUID: file.md5, Size: file.size, Second: second, Download_Flag: 2 } };
    case 'video':
      return {
        MsgType: 'TIMVideoFileElem',
        MsgContent: {
          VideoUrl: url(file, 'o'), VideoUUID: file.md5, VideoSize: file.size, VideoSecond: second, VideoFormat: file.ext || file.mime.replace('video/', ''), VideoDownloadFlag: 2,
          ...(thumb ? { ThumbUrl: url(thumb, 'o'), ThumbUUID: thumb.md5, ThumbSize: thumb.size, ThumbWidth: thumb.variants.o?.width ?? 0, ThumbHeight: thumb.variants.o?.height ?? 0, ThumbFormat: thumb.ext.toUpperCase(), ThumbDownloadFlag: 2 } : {}),
        },
      };
    case 'file':
      return { MsgType: 'TIMFileElem', MsgContent: { Url: url(file, 'o'), UUID: file.md5, FileSize: file.size, FileName: name || `${file.fileKey}${file.ext ? `.${file.ext}` : ''}`, Download_Flag: 2 } };
  }
}

function refusalEnvelope(broker: ServiceBroker, requestId: string, err: unknown): object {
  if (err instanceof Refusal || err instanceof MediaRefusal) return fail(requestId, err instanceof Refusal ? err.code : err.code, err instanceof Refusal ? err.info : err.message);
  const code = (err as { data?: { code?: unknown } }).data?.code;
  if (typeof code === 'number') return fail(requestId, code, (err as Error).message);
  broker.logger.error(`media upload ${requestId} failed:`, err);
  return fail(requestId, MEDIA_ERRORS.INTERNAL, `internal error (request ${requestId})`);
}

