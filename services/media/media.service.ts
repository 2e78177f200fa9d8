/**
 * media — images, sound, video and files of messages (docs/media.md). Hosts each app's media
 * ledger (actors/media, key `<app>`: files kept and the quota) and answers the upload
 * commands Tencent's SDK sends before it uploads (docs/sdk-protocol.md, "Media upload"):
 * im_cos_msg/pre_sig (SDK pointed at Parley by proxyServer alone), im_cos_msg/simple_sig (SDK
 * with fileDownloadProxy) and im_cos_msg/get_imageinfo. The bytes go to the gateway's
 * /media routes (./http.ts), which record files here.
 * Actions: preSig, simpleSig, imageInfo; REST parley_media/get_usage and parley_media/delete;
 * record, forget, usage (the gateway, through ./client.ts). Emits nothing; consumes nothing.
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { mediaKey as ledgerKey, mediaKind, type MediaCommand, type MediaEvent, type MediaKindName, type MediaReply, type MediaState } from '../../actors/media';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { commandParams, type CommandParams } from '../commands/commands';
import { imageInfo, ticketsFor, type SimpleSigBody } from './tickets';
import { blobKey } from './ingest';
import { FILE_TYPES, MEDIA_ERRORS } from './kinds';
import { FILE_KEY } from './signing';

type MediaService = ActorHostService<MediaState, MediaCommand, MediaEvent, MediaReply>;

const codes = { invalidCode: MEDIA_ERRORS.BAD_REQUEST, internalCode: MEDIA_ERRORS.INTERNAL } as const;
const app = { type: 'number', integer: true, positive: true };
const fileKeys = { type: 'array', min: 1, max: 100, items: { type: 'string', pattern: FILE_KEY } };
const fileType = { type: 'number', integer: true, custom: (v: number) => (FILE_TYPES[v] ? v : [{ type: 'numberEnum' }]) };

export interface PreSigBody {
  file_type: number;
  file_name?: string;
  upload_method?: number;
  Duration?: number;
}

const media: ServiceSchema<ServiceSettingSchema, MediaService> = {
  name: 'media',
  mixins: [actorHostMixin(mediaKind)],
  actions: {
    preSig: {
      tencent: { command: 'im_cos_msg/pre_sig', user: true, summary: 'Upload and download URLs for one media file (the SDK asks before uploading)', ...codes },
      params: commandParams({
        file_type: fileType,
        file_name: { type: 'string', max: 256, optional: true },
        upload_method: { type: 'number', optional: true },
        Duration: { type: 'number', integer: true, min: 1, optional: true },
      }),
      handler(this: MediaService, ctx: Context<CommandParams<PreSigBody>>) {
        const { app: sdkAppId, caller, body } = ctx.params;
        const t = ticketsFor(this.broker, sdkAppId, caller.id, FILE_TYPES[body.file_type], body.file_name, body.Duration);
        return {
          request_id: ctx.requestID ?? '',
          expired_time: t.uploadExpires,
          upload_url: t.uploadUrl,
          download_url: t.downloadUrl,
          file_key: t.fileKey,
          exist_flag: 0,
          ...(t.thumbUrl ? { thumb_url: t.thumbUrl, large_url: t.largeUrl } : {}),
        };
      },
    },
    simpleSig: {
      tencent: { command: 'im_cos_msg/simple_sig', user: true, summary: 'Upload and download URLs for media files (the SDK with fileDownloadProxy)', ...codes },
      params: commandParams({
        rpt_upload_object: {
          type: 'array', min: 1, max: 10,
          items: { type: 'object', strict: 'remove', props: { uint32_file_id: { type: 'number', optional: true }, uint32_file_type: fileType, str_file_name: { type: 'string', max: 256, optional: true } } },
        },
      }),
      handler(this: MediaService, ctx: Context<CommandParams<SimpleSigBody>>) {
        const { app: sdkAppId, caller, body } = ctx.params;
        return {
          rpt_pre_sig: body.rpt_upload_object.map((o) => {
            const t = ticketsFor(this.broker, sdkAppId, caller.id, FILE_TYPES[o.uint32_file_type], o.str_file_name);
            return { uint32_file_id: o.uint32_file_id ?? 1, uint32_exist_flag: 0, str_upload_url: t.uploadUrl, str_download_url: t.downloadUrl, str_file_key: t.fileKey };
          }),
        };
      },
    },
    imageInfo: {
      tencent: { command: 'im_cos_msg/get_imageinfo', user: true, summary: 'Sizes and URLs of an uploaded image and its renditions', ...codes },
      params: commandParams({ str_image_url: { type: 'string', max: 2048 } }),
      async handler(this: MediaService, ctx: Context<CommandParams<{ str_image_url: string }>>) {
        const { app: sdkAppId, body } = ctx.params;
        return { rpt_msg_image_info: await imageInfo(this.broker, sdkAppId, body.str_image_url) };
      },
    },
    getUsage: {
      tencent: { command: 'parley_media/get_usage', summary: "Parley extension: the app's media bytes, files and quota", ...codes },
      params: commandParams({}),
      async handler(this: MediaService, ctx: Context<CommandParams<Record<string, never>>>) {
        const usage = await this.actorCall(ledgerKey(ctx.params.app), { op: 'usage' }, ctx);
        return { UsedBytes: usage.usedBytes, Files: usage.files, QuotaBytes: runtimeOf(this.broker).config.media.quotaBytes };
      },
    },
    deleteFiles: {
      tencent: { command: 'parley_media/delete', summary: 'Parley extension: delete uploaded media files by key (their URLs stop working)', ...codes },
      params: commandParams({ FileKeys: fileKeys }),
      async handler(this: MediaService, ctx: Context<CommandParams<{ FileKeys: string[] }>>) {
        const deleted = await this.forget(ctx.params.app, ctx.params.body.FileKeys, 'admin', ctx);
        return { Deleted: deleted };
      },
    },
    record: {
      visibility: 'public',
      params: { $$strict: true, app, fileKey: { type: 'string', pattern: FILE_KEY }, bytes: { type: 'number', integer: true, min: 0 }, kind: { type: 'enum', values: ['image', 'audio', 'video', 'file'] }, owner: 'string', at: 'number' },
      async handler(this: MediaService, ctx: Context<{ app: number; fileKey: string; bytes: number; kind: MediaKindName; owner: string; at: number }>) {
        const { app: sdkAppId, ...file } = ctx.params;
        return this.actorCall(ledgerKey(sdkAppId), { op: 'store', file, quotaBytes: runtimeOf(this.broker).config.media.quotaBytes }, ctx);
      },
    },
    forget: {
      visibility: 'public',
      params: { $$strict: true, app, fileKeys, reason: { type: 'string', max: 32 } },
      async handler(this: MediaService, ctx: Context<{ app: number; fileKeys: string[]; reason: string }>) {
        return { deleted: await this.forget(ctx.params.app, ctx.params.fileKeys, ctx.params.reason, ctx) };
      },
    },
    usage: {
      visibility: 'public',
      params: { $$strict: true, app },
      handler(this: MediaService, ctx: Context<{ app: number }>) {
        return this.actorCall(ledgerKey(ctx.params.app), { op: 'usage' }, ctx);
      },
    },
  },
  methods: {
    /** Takes files off the ledger, then their objects out of the store: the meta object first, so no download serves a file being removed. */
    async forget(this: MediaService, sdkAppId: number, keys: string[], reason: string, ctx?: Context): Promise<string[]> {
      const reply = await this.actorCall(ledgerKey(sdkAppId), { op: 'delete', fileKeys: keys, reason, now: Date.now() }, ctx);
      const blobs = await runtimeOf(this.broker).blobs();
      for (const key of reply.deleted ?? []) {
        await blobs.delete([blobKey(sdkAppId, key, 'meta')]);
        await blobs.delete((['o', 'l', 't'] as const).map((v) => blobKey(sdkAppId, key, v)));
      }
      return reply.deleted ?? [];
    },
  },
};

export default media;
