/**
 * media — images, sound, video and files of messages (docs/media.md). Hosts each app's media
 * ledger (actors/media, key `<app>`: files kept and the quota) and answers the upload
 * commands Tencent's SDK sends before it uploads (docs/sdk-protocol.md, "Media upload"):
 * im_cos_msg/pre_sig (SDK pointed at Parley by proxyServer alone), im_cos_msg/simple_sig (SDK
 * with fileDownloadProxy) and im_cos_msg/get_imageinfo. The bytes go to the gateway's
 * /media routes (./http.ts), which record files here.
 * Actions: preSig, simpleSig, imageInfo; REST parley_media/get_usage and parley_media/delete;
 * record, forget, usage (the gateway, through ./client.ts); reference, rename, release (message
 * senders, through ./client.ts: which messages hold which files, ./references.ts); readers (the
 * download check, ./readers.ts); sweep (hourly per app: the roaming period, ./lifecycle.ts).
 * Limits and quota are the app's settings over the node's (./limits.ts).
 * im_long_msg/save_relay_json_msg and get_relay_json_msg (./relay.ts).
 * Emits media.references.released on the local bus; consumes message.c2c.recalled (a recalled
 * message lets go of its files).
 */
import type { Context, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { mediaKey as ledgerKey, mediaKind, type MediaCommand, type MediaEvent, type MediaKindName, type MediaReply, type MediaState } from '../../actors/media';
import { actorHostMixin, type ActorHostService } from '../../runtime/moleculer/host.mixin';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { commandParams, type CommandParams } from '../commands/commands';
import { imageInfo, ticketsFor, type SimpleSigBody } from './tickets';
import { FILE_TYPES, MEDIA_ERRORS } from './kinds';
import { limitsOf } from './limits';
import { FILE_KEY } from './signing';
import { removeObjects, sweep, type LedgerCall, type SweepResult } from './lifecycle';
import { c2cConversation, groupConversation, messageRef } from './references';
import { appDirectory } from '../apps/registry';
import { BUS, LOCAL, type C2CRecalled, type GroupDestroyed, type MediaReleased } from '../events';
import { relayActions, relayRef } from './relay';

type MediaService = ActorHostService<MediaState, MediaCommand, MediaEvent, MediaReply> & {
  sweeper: NodeJS.Timeout;
  forget(app: number, keys: string[], reason: string, ctx?: Context): Promise<string[]>;
  remove(app: number, deleted: string[], ctx?: Context): Promise<void>;
  ledger(app: number, ctx?: Context): LedgerCall;
};

const codes = { invalidCode: MEDIA_ERRORS.BAD_REQUEST, internalCode: MEDIA_ERRORS.INTERNAL } as const;
const app = { type: 'number', integer: true, positive: true };
const fileKeys = { type: 'array', min: 1, max: 100, items: { type: 'string', pattern: FILE_KEY } };
const ref = { type: 'string', min: 3, max: 300 };
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
        return { UsedBytes: usage.usedBytes, Files: usage.files, QuotaBytes: limitsOf(this.broker, ctx.params.app).quotaBytes };
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
        return this.actorCall(ledgerKey(sdkAppId), { op: 'store', file, quotaBytes: limitsOf(this.broker, sdkAppId).quotaBytes }, ctx);
      },
    },
    forget: {
      visibility: 'public',
      params: { $$strict: true, app, fileKeys, reason: { type: 'string', max: 32 } },
      async handler(this: MediaService, ctx: Context<{ app: number; fileKeys: string[]; reason: string }>) {
        return { deleted: await this.forget(ctx.params.app, ctx.params.fileKeys, ctx.params.reason, ctx) };
      },
    },
    reference: {
      visibility: 'public',
      params: { $$strict: true, app, fileKeys, ref, time: { type: 'number', integer: true, min: 0 } },
      async handler(this: MediaService, ctx: Context<{ app: number; fileKeys: string[]; ref: string; time: number }>) {
        const { app: sdkAppId, ...held } = ctx.params;
        await this.actorCall(ledgerKey(sdkAppId), { op: 'reference', ...held, now: Date.now() }, ctx);
        return {};
      },
    },
    rename: {
      visibility: 'public',
      params: { $$strict: true, app, from: ref, to: ref, time: { type: 'number', integer: true, min: 0 } },
      async handler(this: MediaService, ctx: Context<{ app: number; from: string; to: string; time: number }>) {
        const { app: sdkAppId, ...names } = ctx.params;
        await this.actorCall(ledgerKey(sdkAppId), { op: 'rename', ...names, now: Date.now() }, ctx);
        return {};
      },
    },
    /** Messages went: files no other message holds are deleted, ledger first, then the store. */
    release: {
      visibility: 'public',
      params: { $$strict: true, app, refs: { type: 'array', min: 1, max: 1000, items: ref }, reason: { type: 'string', max: 32 } },
      async handler(this: MediaService, ctx: Context<{ app: number; refs: string[]; reason: string }>) {
        const { app: sdkAppId, refs, reason } = ctx.params;
        const reply = await this.actorCall(ledgerKey(sdkAppId), { op: 'release', refs, reason, now: Date.now() }, ctx);
        await this.remove(sdkAppId, reply.deleted ?? [], ctx);
        this.broker.localBus.emit(LOCAL.MEDIA_RELEASED, { app: sdkAppId, refs, deleted: reply.deleted ?? [] } satisfies MediaReleased);
        return { deleted: reply.deleted ?? [] };
      },
    },
    /** Whether a file is kept, and the conversations of the messages holding it (./readers.ts). */
    readers: {
      visibility: 'public',
      params: { $$strict: true, app, fileKey: { type: 'string', pattern: FILE_KEY } },
      async handler(this: MediaService, ctx: Context<{ app: number; fileKey: string }>) {
        const reply = await this.actorCall(ledgerKey(ctx.params.app), { op: 'readers', fileKey: ctx.params.fileKey }, ctx);
        return { kept: reply.kept ?? false, owner: reply.owner ?? '', conversations: reply.conversations ?? [] };
      },
    },
    /** Runs an app's sweep now (it runs on its own with the retention sweep's period). */
    sweep: {
      visibility: 'public',
      params: { $$strict: true, app, nowMs: { type: 'number', integer: true, optional: true } },
      async handler(this: MediaService, ctx: Context<{ app: number; nowMs?: number }>): Promise<SweepResult> {
        const { app: sdkAppId, nowMs } = ctx.params;
        const days = appDirectory(this.broker).get(sdkAppId)?.settings.messages.roamingDays ?? 7;
        const cutoffSec = Math.floor((nowMs ?? Date.now()) / 1000) - days * 86_400 - runtimeOf(this.broker).config.media.uploadUrlSec;
        return sweep(await runtimeOf(this.broker).blobs(), this.ledger(sdkAppId, ctx), sdkAppId, cutoffSec);
      },
    },
    ...relayActions,
    usage: {
      visibility: 'public',
      params: { $$strict: true, app },
      handler(this: MediaService, ctx: Context<{ app: number }>) {
        return this.actorCall(ledgerKey(ctx.params.app), { op: 'usage' }, ctx);
      },
    },
  },
  events: {
    /** A recalled one-to-one message lets go of its files (a lost event keeps them until the roaming period ends). */
    [BUS.C2C_RECALLED]: {
      async handler(this: MediaService, ctx: Context<C2CRecalled>) {
        const { app: sdkAppId, from, to, seq } = ctx.params;
        await this.broker.call('media.release', { app: sdkAppId, refs: [messageRef(c2cConversation(from, to), seq)], reason: 'recalled' }).catch((err: unknown) => this.logger.warn('media release after a recall failed:', err));
      },
    },
    /** A disbanded group's messages, its topics' too, let go of their files (a lost event leaves them to the roaming period). */
    [BUS.GROUP_DESTROYED]: {
      async handler(this: MediaService, ctx: Context<GroupDestroyed>) {
        const { app: sdkAppId, groupId } = ctx.params;
        const conversation = groupConversation(groupId);
        try {
          const reply = await this.actorCall(ledgerKey(sdkAppId), { op: 'releaseConversation', conversation, reason: 'disbanded', now: Date.now() }, ctx);
          await this.remove(sdkAppId, reply.deleted ?? [], ctx);
          this.broker.localBus.emit(LOCAL.MEDIA_RELEASED, { app: sdkAppId, refs: [`${conversation}#*`], deleted: reply.deleted ?? [] } satisfies MediaReleased);
        } catch (err) {
          this.logger.warn(`media release after disbanding ${groupId} failed: ${(err as Error).message}`);
        }
      },
    },
  },
  methods: {
    /** Takes files off the ledger (whatever messages hold them), then their objects out of the store (./lifecycle.ts). */
    async forget(this: MediaService, sdkAppId: number, keys: string[], reason: string, ctx?: Context): Promise<string[]> {
      const reply = await this.actorCall(ledgerKey(sdkAppId), { op: 'delete', fileKeys: keys, reason, now: Date.now() }, ctx);
      await this.remove(sdkAppId, reply.deleted ?? [], ctx);
      return reply.deleted ?? [];
    },
    /** Removes deleted files' objects; a stored combined message's list lets go of the media inside it (./relay.ts). */
    async remove(this: MediaService, sdkAppId: number, deleted: string[], ctx?: Context): Promise<void> {
      const blobs = await runtimeOf(this.broker).blobs();
      for (let next = deleted, depth = 0; next.length > 0 && depth < 4; depth++) {
        await removeObjects(blobs, this.ledger(sdkAppId, ctx), sdkAppId, next);
        next = (await this.actorCall(ledgerKey(sdkAppId), { op: 'release', refs: next.map(relayRef), reason: 'released', now: Date.now() }, ctx)).deleted ?? [];
      }
    },
    ledger(this: MediaService, sdkAppId: number, ctx?: Context): LedgerCall {
      return (command) => this.actorCall(ledgerKey(sdkAppId), command, ctx);
    },
  },
  started(this: MediaService) {
    // Each app's sweep runs on the node that owns its ledger, with the message retention sweep's period.
    this.sweeper = setInterval(() => {
      for (const a of appDirectory(this.broker).all()) {
        if (this.actorRouter.ownerOf(this.fullName, ledgerKey(a.sdkAppId)) !== this.broker.nodeID) continue;
        void this.broker.call('media.sweep', { app: a.sdkAppId }, { nodeID: this.broker.nodeID }).catch((err) => this.logger.warn('media sweep failed:', err));
      }
    }, runtimeOf(this.broker).config.retentionSweepSec * 1000);
    this.sweeper.unref();
  },
  stopped(this: MediaService) {
    clearInterval(this.sweeper);
  },
};

export default media;
