/**
 * Combined messages too big for one message (docs/sdk-protocol.md §15, "Combined messages"):
 * when a merger message's JSON passes 11 264 bytes, Tencent's SDK first stores its message list
 * with `im_long_msg.save_relay_json_msg` (answer `DownloadKey`) and sends a TIMRelayElem carrying
 * that key as `JsonMsgKey` instead of the list; a receiver's `downloadMergerMessage` asks
 * `im_long_msg.get_relay_json_msg {JsonMsgKey}` for the list back.
 *
 * The list is kept as a media file (kind file, `.json`) of the sender: it counts against the
 * app's quota, and its key is a file key, so the merger message holds it like any media
 * (./references.ts) and it goes when its last message goes. The media of the messages inside
 * are held by the stored list (`relay:<key>#0`) and go with it. Reading it takes what a
 * download takes: being the sender, the administrator, or in a conversation of a message that
 * carries it (./readers.ts).
 */
import type { ActionSchema, Context } from 'moleculer';
import { Readable } from 'node:stream';
import { DomainError } from '../../runtime/kind';
import { runtimeOf } from '../../runtime/moleculer/node-runtime';
import { commandParams, type CommandParams } from '../commands/commands';
import { ledgerOf } from './client';
import { blobKey, ingest } from './ingest';
import { MEDIA_ERRORS, MediaRefusal } from './kinds';
import { limitsOf } from './limits';
import { mayRead } from './readers';
import { mediaKeysIn } from './references';
import { MEDIA_SERVICE } from './service-name';
import { FILE_KEY, newFileKey } from './signing';
import { readMeta } from './tickets';

/** Most messages one stored list may hold (Tencent's merger limit is 300; forwarded lists nest). */
export const MAX_RELAY_MESSAGES = 1000;

const codes = { invalidCode: MEDIA_ERRORS.BAD_REQUEST, internalCode: MEDIA_ERRORS.INTERNAL } as const;

export const relayRef = (fileKey: string) => `relay:${fileKey}#0`;

interface SaveBody {
  MsgList: Record<string, unknown>[];
}

export const relayActions: Record<string, ActionSchema> = {
  saveRelay: {
    tencent: { command: 'im_long_msg/save_relay_json_msg', user: true, summary: 'Store the message list of a combined message too big for one message (SDK createMergerMessage)', ...codes },
    params: commandParams({ MsgList: { type: 'array', min: 1, max: MAX_RELAY_MESSAGES, items: { type: 'object' } } }),
    async handler(ctx: Context<CommandParams<SaveBody>>) {
      const { app, caller, body } = ctx.params;
      const { broker } = ctx;
      const { config } = runtimeOf(broker);
      const fileKey = newFileKey();
      const text = JSON.stringify({ MsgList: body.MsgList });
      try {
        await ingest(Readable.from([Buffer.from(text)]), { app, fileKey, kind: 'file', owner: caller.id, ext: 'json', maxBytes: limitsOf(broker, app).maxBytes.file }, { blobs: await runtimeOf(broker).blobs(), ledger: ledgerOf(broker), tmpDir: config.media.tmpDir });
      } catch (err) {
        if (err instanceof MediaRefusal) throw new DomainError(err.code, err.message);
        throw err;
      }
      // As for any message (./references.ts): the list holds only the media its sender may read.
      const named = mediaKeysIn(app, text).filter((k) => k !== fileKey);
      const reader = { id: caller.id, admin: caller.kind === 'admin' };
      const may = await Promise.all(named.map((k) => mayRead(broker, app, k, undefined, reader)));
      const inner = named.filter((_, i) => may[i]);
      if (inner.length > 0) await broker.call(`${MEDIA_SERVICE}.reference`, { app, fileKeys: inner, ref: relayRef(fileKey), time: Math.floor(Date.now() / 1000) });
      // PbDownloadKey is the protobuf copy Tencent's native SDKs read; the web SDK passes it on unread.
      return { DownloadKey: fileKey, PbDownloadKey: '' };
    },
  },
  getRelay: {
    tencent: { command: 'im_long_msg/get_relay_json_msg', user: true, summary: 'The message list of a combined message (SDK downloadMergerMessage)', ...codes },
    params: commandParams({ JsonMsgKey: { type: 'string', pattern: FILE_KEY } }),
    async handler(ctx: Context<CommandParams<{ JsonMsgKey: string }>>) {
      const { app, caller, body } = ctx.params;
      const { broker } = ctx;
      const meta = await readMeta(broker, app, body.JsonMsgKey);
      if (!meta || meta.kind !== 'file' || meta.ext !== 'json') throw new DomainError(MEDIA_ERRORS.NOT_FOUND, 'no such message list');
      if (!(await mayRead(broker, app, meta.fileKey, meta.owner, { id: caller.id, admin: caller.kind === 'admin' }))) {
        throw new DomainError(MEDIA_ERRORS.NOT_A_READER, 'the caller is in no conversation of a message carrying this list');
      }
      const got = await (await runtimeOf(broker).blobs()).get(blobKey(app, meta.fileKey, 'o'));
      if (!got) throw new DomainError(MEDIA_ERRORS.NOT_FOUND, 'no such message list');
      const chunks: Buffer[] = [];
      for await (const c of got.body) chunks.push(c as Buffer);
      const list = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<SaveBody>).MsgList;
      if (!Array.isArray(list)) throw new DomainError(MEDIA_ERRORS.NOT_FOUND, 'no such message list');
      return { MsgList: list };
    },
  },
};
