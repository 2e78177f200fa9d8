/**
 * downloads — the message download of Tencent's operations API: open_msg_svc/get_history
 * answers the files of one hour's one-to-one or group messages (hour-file.ts), made on demand
 * from the event log, with signed URLs that expire (links.ts); the gateway serves those URLs
 * (http.ts).
 * Actions: getHistory (open_msg_svc/get_history). Emits nothing; consumes nothing.
 */
import type { Context, Service, ServiceSchema, ServiceSettingSchema } from 'moleculer';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { DomainError } from '../../runtime/kind';
import { commandParams, type CommandParams } from '../commands/commands';
import { appDirectory } from '../apps/registry';
import { cachedHourFiles, type ChatType } from './hour-file';
import { hourStart, signedUrl, wallClock } from './links';

/** Operations data codes (tencent-rest-api.md). */
const CODES = { INVALID: 1002, SYSTEM: 1003, NOT_YET: 1004, EXPIRED: 1005 };
/** Tencent keeps the files of the last seven days. */
const KEPT_MS = 7 * 86_400_000;

export interface GetHistoryBody {
  ChatType: ChatType;
  MsgTime: string;
}

const downloads: ServiceSchema<ServiceSettingSchema, Service> = {
  name: 'downloads',
  actions: {
    getHistory: {
      tencent: { command: 'open_msg_svc/get_history', summary: "Download one hour's messages (gzip files)", invalidCode: CODES.INVALID, internalCode: CODES.SYSTEM },
      params: commandParams({ ChatType: { type: 'enum', values: ['C2C', 'Group'] }, MsgTime: { type: 'string', pattern: /^\d{10}$/ } }),
      async handler(this: Service, ctx: Context<CommandParams<GetHistoryBody>>) {
        const { app, body } = ctx.params;
        const { config, store } = runtimeOf(this.broker);
        const from = hourStart(body.MsgTime, config.ops.utcOffsetMin);
        if (from === undefined) throw new DomainError(CODES.INVALID, `MsgTime ${body.MsgTime} is no hour (YYYYMMDDHH)`);
        const now = Date.now();
        // The hour's file exists once the hour is over (Tencent makes it within the next hour).
        if (from + 3_600_000 > now) throw new DomainError(CODES.NOT_YET, `the file of ${body.MsgTime} is made once that hour is over`);
        if (from < now - KEPT_MS) throw new DomainError(CODES.EXPIRED, 'files of the last 7 days only');
        const secret = appDirectory(this.broker).get(app)?.secretKey;
        if (!secret) throw new DomainError(CODES.SYSTEM, `app ${app} is not served here`);
        const files = await cachedHourFiles(store, app, body.ChatType, from);
        if (files.length === 0) throw new DomainError(CODES.NOT_YET, `no ${body.ChatType} message in ${body.MsgTime}`);
        const expiresAt = now + config.ops.downloadUrlSec * 1000;
        const expires = Math.floor(expiresAt / 1000);
        return {
          File: files.map((f, part) => ({
            URL: signedUrl(config.ops.publicUrl, secret, { app, type: body.ChatType, hour: body.MsgTime, part }, expires),
            ExpireTime: wallClock(expiresAt, config.ops.utcOffsetMin),
            FileSize: f.fileSize,
            FileMD5: f.fileMd5,
            GzipSize: f.gzip.length,
            GzipMD5: f.gzipMd5,
          })),
        };
      },
    },
  },
};

export default downloads;
