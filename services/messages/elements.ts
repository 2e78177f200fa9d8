/**
 * MsgBody validation, element by element, as the seed's message formats describe them. What
 * passes is stored as JSON; what fails is refused with Tencent's code and nothing is stored.
 */
import { DomainError } from '../../runtime/kind';

/** Largest message (MsgBody and CloudCustomData), bytes: the seed's 12 KB. */
export const MAX_MESSAGE_BYTES = 12 * 1024;

export const ELEMENT_CODES = { NOT_ARRAY: 90007, BAD_ELEMENT: 90010, TOO_LONG: 80002 } as const;

/**
 * CloudCustomData as a request field: at most MAX_MESSAGE_BYTES characters, so it is bounded
 * even where no MsgBody comes with it (modify); the exact byte bound of body and data together
 * is validateMsgBody's (a character is at least one byte, so this never refuses what that allows).
 */
export const cloudCustomDataRule = { type: 'string', optional: true, max: MAX_MESSAGE_BYTES };

/** ForbidCallbackControl, SendMsgControl and the like: a few short flag names, never free text. */
export const controlListRule = { type: 'array', optional: true, max: 10, items: { type: 'string', max: 64 } };

type FieldType = 'string' | 'number' | 'array' | 'object';
/** Field → type; `?` marks optional fields. */
type Shape = Record<string, FieldType>;

const SHAPES: Record<string, { required: Shape; optional: Shape }> = {
  TIMTextElem: { required: { Text: 'string' }, optional: {} },
  TIMLocationElem: { required: { Latitude: 'number', Longitude: 'number' }, optional: { Desc: 'string' } },
  TIMFaceElem: { required: { Index: 'number' }, optional: { Data: 'string' } },
  TIMCustomElem: { required: {}, optional: { Data: 'string', Desc: 'string', Ext: 'string', Sound: 'string' } },
  TIMSoundElem: { required: { UUID: 'string' }, optional: { Url: 'string', Size: 'number', Second: 'number', Download_Flag: 'number' } },
  TIMImageElem: { required: { UUID: 'string', ImageInfoArray: 'array' }, optional: { ImageFormat: 'number' } },
  TIMFileElem: { required: { UUID: 'string' }, optional: { Url: 'string', FileSize: 'number', FileName: 'string', Download_Flag: 'number' } },
  TIMVideoFileElem: {
    required: { VideoUUID: 'string' },
    optional: {
      VideoUrl: 'string',
      VideoSize: 'number',
      VideoSecond: 'number',
      VideoFormat: 'string',
      VideoDownloadFlag: 'number',
      ThumbUrl: 'string',
      ThumbUUID: 'string',
      ThumbSize: 'number',
      ThumbWidth: 'number',
      ThumbHeight: 'number',
      ThumbFormat: 'string',
      ThumbDownloadFlag: 'number',
    },
  },
  // Combined (merged-forward) messages: a title and the summary lines; the SDK adds its own fields.
  TIMRelayElem: { required: { Title: 'string' }, optional: { MsgNum: 'number', CompatibleText: 'string', AbstractList: 'array', MsgList: 'array', JsonMsgKey: 'string' } },
};

const IMAGE_INFO: Shape = { Type: 'number', Size: 'number', Width: 'number', Height: 'number', URL: 'string' };

export interface MessageElement {
  MsgType: string;
  MsgContent: Record<string, unknown>;
}

const typeOf = (v: unknown): FieldType | 'other' =>
  Array.isArray(v) ? 'array' : v === null ? 'other' : typeof v === 'string' ? 'string' : typeof v === 'number' && Number.isFinite(v) ? 'number' : typeof v === 'object' ? 'object' : 'other';

function bad(index: number, message: string): never {
  throw new DomainError(ELEMENT_CODES.BAD_ELEMENT, `MsgBody[${index}]: ${message}`);
}

function checkElement(el: unknown, index: number): MessageElement {
  if (typeOf(el) !== 'object') bad(index, 'must be an object with MsgType and MsgContent');
  const { MsgType, MsgContent } = el as Record<string, unknown>;
  // Own keys only: `in` also finds "__proto__", "constructor" or "toString", whose "shape" is no shape (found by npm run fuzz).
  if (typeof MsgType !== 'string' || !Object.hasOwn(SHAPES, MsgType)) bad(index, `unknown MsgType ${JSON.stringify(MsgType)}`);
  if (typeOf(MsgContent) !== 'object') bad(index, 'MsgContent must be an object');
  const content = MsgContent as Record<string, unknown>;
  const shape = SHAPES[MsgType];
  for (const [field, type] of Object.entries(shape.required)) {
    if (typeOf(content[field]) !== type) bad(index, `${MsgType}.${field} must be a ${type}`);
  }
  for (const [field, type] of Object.entries(shape.optional)) {
    if (field in content && content[field] !== undefined && typeOf(content[field]) !== type) bad(index, `${MsgType}.${field} must be a ${type}`);
  }
  if (MsgType === 'TIMImageElem') {
    for (const info of content.ImageInfoArray as unknown[]) {
      if (typeOf(info) !== 'object') bad(index, 'ImageInfoArray items must be objects');
      for (const [field, type] of Object.entries(IMAGE_INFO)) {
        const v = (info as Record<string, unknown>)[field];
        if (v !== undefined && typeOf(v) !== type) bad(index, `ImageInfoArray.${field} must be a ${type}`);
      }
    }
  }
  return { MsgType, MsgContent: content };
}

/** The validated MsgBody as the JSON we store; throws DomainError with Tencent's code. */
export function validateMsgBody(body: unknown, cloudCustomData = ''): string {
  if (!Array.isArray(body) || body.length === 0) throw new DomainError(ELEMENT_CODES.NOT_ARRAY, 'MsgBody must be a non-empty array');
  const elements = body.map(checkElement);
  if (elements.filter((e) => e.MsgType === 'TIMCustomElem').length > 1) {
    throw new DomainError(ELEMENT_CODES.BAD_ELEMENT, 'a message may hold at most one TIMCustomElem');
  }
  const json = JSON.stringify(elements);
  if (Buffer.byteLength(json) + Buffer.byteLength(cloudCustomData) > MAX_MESSAGE_BYTES) {
    throw new DomainError(ELEMENT_CODES.TOO_LONG, `the message is longer than ${MAX_MESSAGE_BYTES} bytes`);
  }
  return json;
}

/** FNV-1a over the stored content: a resend with the same random but other content is a new message. */
export function contentHash(body: string, cloudCustomData: string): number {
  let h = 0x811c9dc5;
  const text = `${body}\u0000${cloudCustomData}`;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
